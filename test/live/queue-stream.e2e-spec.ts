import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { startTestGateway, TestGateway, TEST_KEYS } from '../utils/test-gateway';
import { setQueueFigures, streamTicket } from './live-helpers';
import { dataOf, SseClient, type QueueRow } from './sse-client';

const TTL_S = 1;
// Each update waits for the next poll (one TTL): a few of them take seconds, not milliseconds.
jest.setTimeout(20_000);

describe('GET /v1/queues/stream (e2e)', () => {
  let t: TestGateway;
  let queues: { id: string; name: string }[];
  const open: SseClient[] = [];
  const connect = async (query = '', headers?: Record<string, string>): Promise<SseClient> => {
    const client = await SseClient.open(
      `${t.url}/v1/queues/stream${query}`,
      headers ?? t.auth(TEST_KEYS.reporting),
    );
    open.push(client);
    return client;
  };
  const statsRows = async (): Promise<QueueRow[]> => {
    const res = await request(t.url)
      .get('/v1/queues/stats')
      .set({ ...t.auth(), 'cache-control': 'no-cache' })
      .expect(200);
    return (res.body as { queues: QueueRow[] }).queues;
  };
  const withoutTimestamp = ({ timestamp: _t, ...rest }: QueueRow) => rest;

  beforeAll(async () => {
    t = await startTestGateway({
      env: { QUEUE_STATS_TTL_S: String(TTL_S), STREAM_MAX_PER_KEY: '5' },
    });
    queues = t.sandbox.fixtures.queues;
  });
  afterEach(() => {
    for (const c of open.splice(0)) c.close();
  });
  afterAll(() => t.close());

  it('sends a snapshot of every queue (the /stats rows), then updates with only the changed queue', async () => {
    const client = await connect();
    expect(client.status).toBe(200);
    expect(client.response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(client.response.headers['cache-control']).toBe('no-store');
    const snapshot = await client.next();
    expect(snapshot.event).toBe('snapshot');
    expect(client.retryMs).toBe(2000);
    const first = dataOf(snapshot);
    expect(first.queues.map(withoutTimestamp)).toEqual((await statsRows()).map(withoutTimestamp));
    expect(first.queues.map((q) => q.queueId)).toEqual(queues.map((q) => q.id));

    const target = queues[1];
    await setQueueFigures(t.sandbox.url, target.id, { waitTime: 333.3, agentCount: 7 });
    const update = await client.next((e) => e.event === 'update');
    const body = dataOf(update);
    expect(body.queues).toHaveLength(1);
    const before = first.queues.find((q) => q.queueId === target.id) as QueueRow;
    expect(withoutTimestamp(body.queues[0])).toEqual({
      ...withoutTimestamp(before),
      waitTime: 333.3,
      agentCount: 7,
    });
    expect(Number(update.id)).toBeGreaterThan(Number(snapshot.id));

    await setQueueFigures(t.sandbox.url, queues[3].id, { serviceLevel: 12.5 });
    const second = await client.next((e) => e.event === 'update');
    expect(dataOf(second).queues.map((q) => [q.queueId, q.serviceLevel])).toEqual([
      [queues[3].id, 12.5],
    ]);
    expect(Number(second.id)).toBeGreaterThan(Number(update.id));
  });

  it('streams only the queues asked for', async () => {
    const [a, b] = [queues[0], queues[2]];
    const client = await connect(`?queueIds=${b.id.toUpperCase()}`);
    const snapshot = dataOf(await client.next());
    expect(snapshot.queues.map((q) => q.queueId)).toEqual([b.id]);
    // A change to another queue first: the next event this client gets is still b's own.
    await setQueueFigures(t.sandbox.url, a.id, { agentCount: 41 });
    await setQueueFigures(t.sandbox.url, b.id, { agentCount: 42 });
    const update = dataOf(await client.next((e) => e.event === 'update'));
    expect(update.queues.map((q) => [q.queueId, q.agentCount])).toEqual([[b.id, 42]]);
  });

  it('resumes from Last-Event-ID with the missed updates, or sends a snapshot for an unknown id', async () => {
    const watcher = await connect();
    const { id: lastSeen } = await watcher.next();
    const target = queues[2];
    await setQueueFigures(t.sandbox.url, target.id, { waitTime: 11 });
    const u1 = await watcher.next((e) => e.event === 'update');
    await setQueueFigures(t.sandbox.url, target.id, { waitTime: 22 });
    const u2 = await watcher.next((e) => e.event === 'update');

    const resumed = await connect('', {
      ...t.auth(TEST_KEYS.reporting),
      'last-event-id': String(lastSeen),
    });
    const r1 = await resumed.next();
    const r2 = await resumed.next();
    expect([r1.event, r1.id, r2.event, r2.id]).toEqual(['update', u1.id, 'update', u2.id]);
    expect(dataOf(r2).queues.map((q) => q.waitTime)).toEqual([22]);

    const byQuery = await connect(`?lastEventId=${u1.id}`);
    expect((await byQuery.next()).id).toBe(u2.id);

    const stale = await connect('', { ...t.auth(TEST_KEYS.reporting), 'last-event-id': '12345' });
    const fresh = await stale.next();
    expect(fresh.event).toBe('snapshot');
    expect(fresh.id).toBe(u2.id);
    expect(dataOf(fresh).queues.find((q) => q.queueId === target.id)?.waitTime).toBe(22);
  });

  it('opens with a stream ticket, which is nothing else: not an API key, not a ticket minter', async () => {
    const issued = await streamTicket(t.url, TEST_KEYS.reporting);
    expect(issued.status).toBe(201);
    expect(issued.body.ticket).toMatch(/^cxst_[A-Za-z0-9_-]{43}$/);
    const ttlMs = Date.parse(issued.body.expiresAt) - Date.now();
    expect(ttlMs).toBeGreaterThan(290_000);
    expect(ttlMs).toBeLessThanOrEqual(300_000);
    const { ticket } = issued.body;

    const client = await connect(`?ticket=${ticket}`, {});
    expect(client.status).toBe(200);
    expect((await client.next()).event).toBe('snapshot');

    await request(t.url)
      .get('/v1/queues/stats')
      .set('authorization', `Bearer ${ticket}`)
      .expect(401);
    await request(t.url).get('/v1/queues/metrics').set('x-api-key', ticket).expect(401);
    await request(t.url)
      .post('/v1/queues/stream-tickets')
      .set('authorization', `Bearer ${ticket}`)
      .expect(401);
    const asKey = await connect('', { authorization: `Bearer ${ticket}` });
    expect(asKey.status).toBe(401);
    const keyAsTicket = await connect(`?ticket=${TEST_KEYS.reporting}`, {});
    expect(keyAsTicket.status).toBe(401);
    expect(JSON.parse(await keyAsTicket.text())).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('needs reporting:read, for tickets and streams alike, and never takes a key in the URL', async () => {
    expect((await streamTicket(t.url, TEST_KEYS.none)).status).toBe(403);
    expect((await connect('', {})).status).toBe(401);
    expect((await connect('', t.auth(TEST_KEYS.none))).status).toBe(403);
    const inUrl = await connect(`?apiKey=${TEST_KEYS.reporting}`, {});
    expect(inUrl.status).toBe(400);
    expect(JSON.parse(await inUrl.text())).toMatchObject({
      errors: [{ field: 'apiKey', message: 'apiKey is not an allowed field' }],
    });
  });

  it('answers bad queue ids with 400 and unknown ones with 404 naming them', async () => {
    expect((await connect('?queueIds=../etc')).status).toBe(400);
    const unknown = t.sandbox.fixtures.unknownQueue;
    const missing = await connect(`?queueIds=${queues[0].id},${unknown}`);
    expect(missing.status).toBe(404);
    expect(JSON.parse(await missing.text())).toMatchObject({
      detail: `Queue ${unknown} not found`,
    });
  });

  it('caps concurrent streams per key with a 429 problem', async () => {
    // A key no other test streams with, so no earlier stream is still being closed.
    const key = t.auth(TEST_KEYS.other);
    const streams = await Promise.all([1, 2, 3, 4, 5].map(() => connect('', key)));
    expect(streams.map((s) => s.status)).toEqual([200, 200, 200, 200, 200]);
    const sixth = await connect('', key);
    expect(sixth.status).toBe(429);
    expect(sixth.response.headers['content-type']).toContain('application/problem+json');
    expect(sixth.response.headers['retry-after']).toBe('30');
    expect(JSON.parse(await sixth.text())).toMatchObject({
      code: 'RATE_LIMITED',
      maxStreamsPerKey: 5,
    });
    // Other keys are not affected.
    expect((await connect('', t.auth(TEST_KEYS.all))).status).toBe(200);
  });
});

describe('live queue endpoints in OpenAPI (e2e)', () => {
  it('documents the stream, its tickets, the gauges and the wallboard with schemas and examples', async () => {
    const t = await startTestGateway();
    try {
      const doc = (await request(t.url).get('/docs-json').expect(200)).body as {
        paths: Record<string, Record<string, Record<string, unknown>>>;
        components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
      };
      const stream = doc.paths['/v1/queues/stream'].get as {
        parameters: { name: string }[];
        responses: Record<string, { content?: Record<string, { schema?: { example?: string } }> }>;
      };
      expect(stream.parameters.map((p) => p.name).sort()).toEqual(
        ['Last-Event-ID', 'lastEventId', 'queueIds', 'ticket'].sort(),
      );
      expect(stream.responses['200'].content?.['text/event-stream'].schema?.example).toContain(
        'event: snapshot',
      );
      expect(Object.keys(stream.responses)).toEqual(
        expect.arrayContaining(['200', '401', '403', '404', '429', '503']),
      );
      const tickets = doc.paths['/v1/queues/stream-tickets'].post as {
        responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
      };
      expect(tickets.responses['201'].content?.['application/json'].schema?.$ref).toBe(
        '#/components/schemas/StreamTicketDto',
      );
      expect(Object.keys(doc.components.schemas.StreamTicketDto.properties ?? {})).toEqual([
        'ticket',
        'expiresAt',
      ]);
      expect(doc.components.schemas.QueueStreamEventDto).toBeDefined();
      expect(doc.components.schemas.QueueStreamStatusDto).toBeDefined();
      const metrics = doc.paths['/v1/queues/metrics'].get as {
        responses: Record<string, { content?: Record<string, { schema?: { example?: string } }> }>;
      };
      expect(
        metrics.responses['200'].content?.['text/plain; version=0.0.4; charset=utf-8'].schema
          ?.example,
      ).toContain('# TYPE cxone_queue_agents gauge');
      expect(doc.paths['/wallboard'].get).toBeDefined();
      expect(doc.paths['/wallboard/wallboard.js']).toBeUndefined();
    } finally {
      await t.close();
    }
  });
});

describe('queue stream shutdown (e2e)', () => {
  it('ends open streams when the gateway drains, instead of holding the drain open', async () => {
    const t = await startTestGateway({ env: { QUEUE_STATS_TTL_S: '1' } });
    const clients = await Promise.all(
      [0, 1].map(() => SseClient.open(`${t.url}/v1/queues/stream`, t.auth(TEST_KEYS.reporting))),
    );
    await Promise.all(clients.map((c) => c.next()));
    // The gateway alone (its data dir stays), so the audit file it flushes can be read after.
    await t.gateway.close();
    await Promise.all(clients.map((c) => c.waitForEnd(1000)));
    expect(clients.every((c) => c.ended)).toBe(true);
    const audit = readFileSync(join(t.dataDir, 'audit', 'audit.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { action: string; actor: string; status: number });
    const streams = audit.filter((r) => r.action === 'live.queue-stream');
    expect(streams).toHaveLength(2);
    expect(streams.every((r) => r.actor === 'reporter' && r.status === 200)).toBe(true);
    await t.sandbox.close();
    rmSync(t.dataDir, { recursive: true, force: true });
  }, 15_000);
});
