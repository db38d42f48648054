import request from 'supertest';
import { FakeClock } from '../../src/common/clock/fake-clock.fake';
import { startSandbox, SandboxHandle } from '../../src/sandbox/sandbox.server';
import {
  Answer,
  answerOf,
  fastPathAnswers,
  leaveMidBody,
  PER_REQUEST_AUDIT,
  rawPost,
  spyOnPreHandlerReplies,
} from '../utils/fast-path';
import { startTestGateway, TestGateway, TEST_KEYS } from '../utils/test-gateway';

/**
 * The cache-hit fast path must be invisible: the same requests to a gateway with it and one
 * without it give byte-identical answers, headers included, and the same audit facts — for
 * hits, misses, bad keys, missing scopes and `Cache-Control: no-cache`.
 */
describe('cache-hit fast path (e2e)', () => {
  let clock: FakeClock;
  let sandbox: SandboxHandle;
  let fast: TestGateway;
  /** Fast path too, but TRUST_PROXY on: hits answered in the preHandler, not before the router. */
  let late: TestGateway;
  let normal: TestGateway;

  beforeAll(async () => {
    // One clock for both gateways and the sandbox, so `asOf` and upstream timestamps agree.
    clock = new FakeClock();
    sandbox = await startSandbox({ port: 0 }, () => clock.now());
    const env = { QUEUE_STATS_TTL_S: '60' };
    fast = await startTestGateway({ sharedSandbox: sandbox, clock, env });
    late = await startTestGateway({
      sharedSandbox: sandbox,
      clock,
      env: { ...env, TRUST_PROXY: 'true' },
    });
    normal = await startTestGateway({
      sharedSandbox: sandbox,
      clock,
      env: { ...env, CACHE_FAST_PATH: 'false' },
    });
  });
  afterAll(async () => {
    await fast.close();
    await late.close();
    await normal.close();
    await sandbox.close();
  });

  /** The scenario, in order: every step is sent to both gateways and compared. */
  const steps: { name: string; path: string; key?: string; headers?: Record<string, string> }[] = [
    { name: 'miss', path: '/v1/queues/stats' },
    { name: 'hit', path: '/v1/queues/stats' },
    { name: 'hit again', path: '/v1/queues/stats' },
    { name: 'csv miss', path: '/v1/queues/stats?format=csv' },
    { name: 'csv hit', path: '/v1/queues/stats?format=csv' },
    {
      name: 'ndjson by Accept',
      path: '/v1/queues/stats',
      headers: { accept: 'application/x-ndjson' },
    },
    {
      name: 'ndjson by Accept, hit',
      path: '/v1/queues/stats',
      headers: { accept: 'application/x-ndjson' },
    },
    { name: 'bad key', path: '/v1/queues/stats', key: 'not-a-key' },
    { name: 'missing scope', path: '/v1/queues/stats', key: TEST_KEYS.none },
    { name: 'no key', path: '/v1/queues/stats', key: '' },
    { name: 'no-cache', path: '/v1/queues/stats', headers: { 'cache-control': 'no-cache' } },
    { name: 'hit after refresh', path: '/v1/queues/stats' },
    { name: 'subset miss', path: `/v1/queues/stats?metrics=waitTime,serviceLevel` },
    { name: 'subset hit', path: `/v1/queues/stats?metrics=waitTime,serviceLevel` },
    { name: 'bad query', path: '/v1/queues/stats?metrics=nope' },
  ];

  async function send(t: TestGateway, step: (typeof steps)[number]): Promise<Answer> {
    const req = request(t.url)
      .get(step.path)
      .set(step.headers ?? {});
    const key = step.key ?? TEST_KEYS.reporting;
    if (key) req.set('authorization', `Bearer ${key}`);
    return answerOf(await req);
  }

  it('answers every step byte for byte like the normal route, and answers the hits itself', async () => {
    const before = await fastPathAnswers(fast);
    const lateBefore = await fastPathAnswers(late);
    const preHandlerReplies = spyOnPreHandlerReplies();
    for (const step of steps) {
      const viaFast = await send(fast, step);
      const viaLate = await send(late, step);
      const viaNormal = await send(normal, step);
      expect({ step: step.name, ...viaFast }).toEqual({ step: step.name, ...viaNormal });
      expect({ step: step.name, ...viaLate }).toEqual({ step: step.name, ...viaNormal });
    }
    // Every GET hit of the default gateway was answered before the router; with TRUST_PROXY
    // (the client address is Fastify's to work out) the same hits were answered in the preHandler.
    expect(preHandlerReplies.of(fast)).toBe(0);
    expect(preHandlerReplies.of(late)).toBe(5);
    expect((await fastPathAnswers(late)) - lateBefore).toBe(5);
    preHandlerReplies.restore();
    // The hits took the fast path: json ×2, csv, ndjson, subset. The first hit after the no-cache
    // refresh did not: the entry behind the recorded bytes was replaced, so the normal route
    // answered (and recorded anew). Nothing else did; the normal gateway never does.
    expect((await fastPathAnswers(fast)) - before).toBe(5);
    expect(await fastPathAnswers(normal)).toBe(0);
  });

  it('answers analytics summary hits byte for byte like the normal route, age included', async () => {
    const body = {
      metrics: ['handle_time', 'abandon_rate'],
      dimensions: ['date', 'channel'],
      start: '2026-11-01T00:00:00Z',
      end: '2026-11-04T00:00:00Z',
    };
    const post = async (
      t: TestGateway,
      step: { path?: string; key?: string; headers?: Record<string, string>; body?: object },
    ): Promise<Answer> => {
      const req = request(t.url)
        .post(step.path ?? '/v1/analytics/summary')
        .set(step.headers ?? {})
        .send(step.body ?? body);
      const key = step.key ?? TEST_KEYS.all;
      if (key) req.set('authorization', `Bearer ${key}`);
      return answerOf(await req);
    };
    const compare = (name: string, viaFast: Answer, viaLate: Answer, viaNormal: Answer) => {
      expect({ step: name, ...viaFast }).toEqual({ step: name, ...viaNormal });
      expect({ step: name, ...viaLate }).toEqual({ step: name, ...viaNormal });
      return viaFast;
    };
    const both = async (name: string, step: Parameters<typeof post>[1] = {}) =>
      compare(name, await post(fast, step), await post(late, step), await post(normal, step));
    /** A body as written (not re-serialised by supertest), and chunked when `length` is false. */
    const raw = async (
      name: string,
      text: string | Buffer,
      type = 'application/json',
      length = true,
    ) => {
      const headers: Record<string, string> = {
        authorization: `Bearer ${TEST_KEYS.all}`,
        'content-type': type,
        ...(length ? { 'content-length': String(Buffer.byteLength(text)) } : {}),
      };
      const send = (t: TestGateway) => rawPost(t.url, '/v1/analytics/summary', headers, text);
      return compare(name, await send(fast), await send(late), await send(normal));
    };
    const before = await fastPathAnswers(fast);
    const lateBefore = await fastPathAnswers(late);
    const preHandlerReplies = spyOnPreHandlerReplies();
    const miss = await both('miss');
    expect(miss.headers['x-cache']).toBe('MISS');
    await clock.advance(3_000);
    const hit = await both('hit, 3 s later');
    expect(JSON.parse(hit.body)).toMatchObject({ cache: { status: 'HIT', ageSeconds: 3 } });
    await both('csv miss', { path: '/v1/analytics/summary?format=csv' });
    await both('csv hit', { path: '/v1/analytics/summary?format=csv' });
    await both('conditional', { headers: { 'if-none-match': miss.headers.etag } });
    await both('bad key', { key: 'not-a-key' });
    await both('missing scope', { key: TEST_KEYS.reporting });
    await both('bad body', { body: { ...body, metrics: ['nope'] } });
    // Bodies the replay before the router reads and hands back, or leaves to Fastify to read.
    const spaced = await raw('hit, the same body spaced out', JSON.stringify(body, null, 2));
    expect(spaced.headers['x-cache']).toBe('HIT');
    expect(
      (await raw('hit, chunked', JSON.stringify(body), 'application/json', false)).status,
    ).toBe(200);
    expect((await raw('malformed JSON', '{"metrics":["handle_time"')).status).toBe(400);
    expect((await raw('JSON nested too deep', `${'['.repeat(40)}${']'.repeat(40)}`)).status).toBe(
      400,
    );
    const notUtf8 = Buffer.concat([
      Buffer.from('{"metrics":"'),
      Buffer.from([0xff]),
      Buffer.from('"}'),
    ]);
    expect((await raw('not UTF-8', notUtf8)).status).toBe(400);
    // Not a JSON body: the replay leaves it to the normal route, which takes JSON only.
    expect((await raw('text/plain', JSON.stringify(body), 'text/plain')).status).toBe(415);
    const padded = JSON.stringify({ ...body, note: 'x'.repeat(20_000) });
    expect((await raw('body over the early limit', padded)).status).toBe(400);
    await both('no-cache', { headers: { 'cache-control': 'no-cache' } });
    await clock.advance(1_000);
    await both('first hit after refresh');
    await both('hit after refresh');
    // Fast: the hit 3 s later, the csv hit, the spaced-out and the chunked hit, and the second
    // hit after the refresh. The chunked body is Fastify's to read, so its hit was answered by
    // the preHandler; the others before the router. With TRUST_PROXY all in the preHandler.
    expect((await fastPathAnswers(fast)) - before).toBe(5);
    expect((await fastPathAnswers(late)) - lateBefore).toBe(5);
    expect(preHandlerReplies.of(fast)).toBe(1);
    expect(preHandlerReplies.of(late)).toBe(5);
    preHandlerReplies.restore();
  });

  it('audits a client that leaves mid-body as aborted, as the normal route does', async () => {
    const viaFast = await leaveMidBody(fast, '/v1/analytics/summary', TEST_KEYS.all);
    expect(viaFast).toMatchObject({ status: 499, outcome: 'aborted', actor: null });
    expect(viaFast).toEqual(await leaveMidBody(normal, '/v1/analytics/summary', TEST_KEYS.all));
  });

  it('records the same audit facts on both paths', async () => {
    const audit = async (t: TestGateway) => {
      const res = await request(t.url)
        .get('/v1/audit')
        .query({ limit: 200 })
        .set(t.auth())
        .expect(200);
      const records = (res.body as { records: Record<string, unknown>[] }).records;
      return records
        .filter((r) => r.route === '/v1/queues/stats' || r.route === '/v1/analytics/summary')
        .map((r) =>
          Object.fromEntries(Object.entries(r).filter(([k]) => !PER_REQUEST_AUDIT.includes(k))),
        );
    };
    const viaFast = await audit(fast);
    expect(viaFast.length).toBeGreaterThanOrEqual(steps.length - 1);
    expect(viaFast).toEqual(await audit(normal));
    expect(viaFast.some((r) => r.cache === 'HIT' && r.outcome === 'success')).toBe(true);
    expect(viaFast.some((r) => r.outcome === 'denied')).toBe(true);
  });
});
