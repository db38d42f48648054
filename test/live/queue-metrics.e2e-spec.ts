import { execFileSync } from 'node:child_process';
import request from 'supertest';
import { startDialectPair, type DialectPair } from '../reporting/incontact-helpers';
import { startTestGateway, TestGateway, TEST_KEYS } from '../utils/test-gateway';
import { setQueueFigures } from './live-helpers';
import { dataOf, SseClient } from './sse-client';

/** Runs `promtool check metrics` on a scrape; its complaints, or '' when it accepts it. */
function promtool(text: string): string {
  try {
    return execFileSync('/usr/bin/promtool', ['check', 'metrics'], {
      input: text,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    return `${e.stdout ?? ''}${e.stderr ?? ''}` || e.message;
  }
}

function unescapeLabel(value: string): string {
  return value.replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c));
}

/** `queue_name` → value of one family, read back from the exposition text. */
function samples(text: string, family: string, extra = ''): Map<string, number> {
  const pattern = new RegExp(
    `^${family}\\{queue_id="[^"]*",queue_name="((?:\\\\.|[^\\\\"])*)"${extra}\\} (\\S+)$`,
    'gm',
  );
  return new Map([...text.matchAll(pattern)].map((m) => [unescapeLabel(m[1]), Number(m[2])]));
}

describe('GET /v1/queues/metrics (e2e)', () => {
  let t: TestGateway;
  const scrape = (key: string = TEST_KEYS.reporting) =>
    request(t.url).get('/v1/queues/metrics').set('authorization', `Bearer ${key}`);

  beforeAll(async () => {
    t = await startTestGateway({ env: { QUEUE_STATS_TTL_S: '30' } });
  });
  afterAll(() => t.close());

  it('exposes the queue figures as gauges that promtool accepts, matching /v1/queues/stats', async () => {
    const res = await scrape().expect(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(promtool(res.text)).toBe('');
    const stats = await request(t.url).get('/v1/queues/stats').set(t.auth()).expect(200);
    const rows = (stats.body as { queues: Record<string, number | string>[] }).queues;
    const waits = samples(res.text, 'cxone_queue_longest_wait_seconds');
    const available = samples(res.text, 'cxone_queue_agents', ',state="available"');
    const sl = samples(res.text, 'cxone_queue_service_level_ratio');
    expect(waits.size).toBe(t.sandbox.fixtures.queues.length);
    for (const row of rows) {
      const name = String(row.queueName);
      expect(waits.get(name)).toBe(row.waitTime);
      expect(available.get(name)).toBe(row.agentCount);
      expect(sl.get(name)).toBeCloseTo(Number(row.serviceLevel) / 100, 10);
    }
    // The v2 dialect has no queued-contact count and no agent states besides available.
    expect(res.text).not.toContain('cxone_queue_contacts_queued');
    expect(res.text).not.toMatch(/state="(working|logged_in|acw)"/);
    expect(res.text).toMatch(/^# TYPE cxone_queue_agents gauge$/m);
    expect(res.text).toMatch(/^# HELP cxone_queue_longest_wait_seconds .+$/m);
  });

  it('serves every scraper from the cached snapshot: one upstream call per TTL', async () => {
    await t.control.resetStats();
    await request(t.url)
      .get('/v1/queues/stats')
      .set({ ...t.auth(), 'cache-control': 'no-cache' })
      .expect(200);
    const scrapes = await Promise.all(Array.from({ length: 30 }, () => scrape()));
    expect(scrapes.map((r) => r.status)).toEqual(Array(30).fill(200));
    expect(new Set(scrapes.map((r) => r.text)).size).toBe(1);
    expect((await t.control.stats()).routes.queueStats.calls).toBe(1);
  });

  it('reflects changed figures once the cache entry is refreshed', async () => {
    const queue = t.sandbox.fixtures.queues[0];
    await setQueueFigures(t.sandbox.url, queue.id, { waitTime: 123.4, serviceLevel: 50 });
    await request(t.url)
      .get('/v1/queues/stats')
      .set({ ...t.auth(), 'cache-control': 'no-cache' });
    const text = (await scrape().expect(200)).text;
    expect(samples(text, 'cxone_queue_longest_wait_seconds').get(queue.name)).toBe(123.4);
    expect(samples(text, 'cxone_queue_service_level_ratio').get(queue.name)).toBe(0.5);
  });

  it('escapes hostile queue names (the sandbox hostileText quirk): promtool passes, each name reads back intact', async () => {
    await t.control.setQuirks({ hostileText: true });
    try {
      const stats = await request(t.url)
        .get('/v1/queues/stats')
        .set({ ...t.auth(), 'cache-control': 'no-cache' })
        .expect(200);
      const names = (stats.body as { queues: { queueName: string }[] }).queues.map(
        (q) => q.queueName,
      );
      expect(names.every((n) => n.includes('"') && n.includes('\\') && n.includes('\n'))).toBe(
        true,
      );
      const text = (await scrape().expect(200)).text;
      expect(promtool(text)).toBe('');
      expect([...samples(text, 'cxone_queue_longest_wait_seconds').keys()]).toEqual(names);
    } finally {
      await t.control.resetQuirks();
      await request(t.url)
        .get('/v1/queues/stats')
        .set({ ...t.auth(), 'cache-control': 'no-cache' });
    }
  });

  it('needs an API key with reporting:read (Bearer, as a Prometheus scrape sends it)', async () => {
    await request(t.url).get('/v1/queues/metrics').expect(401);
    await scrape(TEST_KEYS.none).expect(403);
  });
});

describe('GET /v1/queues/metrics in the incontact dialect (e2e)', () => {
  let pair: DialectPair;

  beforeAll(async () => {
    pair = await startDialectPair({ withV2: false, env: { QUEUE_STATS_TTL_S: '5' } });
  });
  afterAll(() => pair.close());

  it('exposes every figure the real feed has, media type included, and promtool accepts it', async () => {
    const t = pair.ic;
    const res = await request(t.url)
      .get('/v1/queues/metrics')
      .set(t.auth(TEST_KEYS.reporting))
      .expect(200);
    expect(promtool(res.text)).toBe('');
    const stats = await request(t.url).get('/v1/queues/stats').set(t.auth()).expect(200);
    const rows = (stats.body as { queues: Record<string, number | string | null>[] }).queues;
    expect(rows.length).toBeGreaterThan(0);
    for (const family of [
      'cxone_queue_contacts_queued',
      'cxone_queue_longest_wait_seconds',
      'cxone_queue_service_level_ratio',
    ]) {
      expect(res.text).toMatch(new RegExp(`^# TYPE ${family} gauge$`, 'm'));
    }
    for (const state of ['available', 'working', 'logged_in', 'acw']) {
      expect(res.text).toContain(`,state="${state}"}`);
    }
    const row = rows.find((r) => typeof r.mediaType === 'string' && r.mediaType !== '');
    expect(row).toBeDefined();
    const line = res.text
      .split('\n')
      .find(
        (l) =>
          l.startsWith('cxone_queue_contacts_queued{') &&
          l.includes(`queue_id="${String(row?.queueId)}"`),
      );
    expect(line).toContain(`media_type="${String(row?.mediaType)}"`);
    expect(Number(line?.split(' ').pop())).toBe(row?.queueCount);
  });

  it('streams the same rows (every real figure) as /v1/queues/stats', async () => {
    const t = pair.ic;
    const client = await SseClient.open(`${t.url}/v1/queues/stream`, t.auth(TEST_KEYS.reporting));
    try {
      const snapshot = dataOf(await client.next());
      const stats = await request(t.url).get('/v1/queues/stats').set(t.auth()).expect(200);
      const rows = (stats.body as { queues: { queueId: string }[] }).queues;
      expect(snapshot.queues.map((q) => q.queueId)).toEqual(rows.map((q) => q.queueId));
      expect(Object.keys(snapshot.queues[0]).sort()).toEqual(Object.keys(rows[0]).sort());
      expect(snapshot.queues[0]).toHaveProperty('agentsAcw');
    } finally {
      client.close();
    }
  });
});
