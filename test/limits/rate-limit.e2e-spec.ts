import request, { Response } from 'supertest';
import { FakeClock } from '../../src/common/clock/fake-clock.fake';
import { startTestGateway, TestGateway } from '../utils/test-gateway';
import { LimitKey, limitKeys, SMALL_LIMITS } from './limit-keys';

const NO_CACHE = { 'cache-control': 'no-cache' };
const SUMMARY = {
  metrics: ['handle_time', 'abandon_rate'],
  dimensions: ['date', 'channel'],
  start: '2026-01-01T00:00:00Z',
  end: '2026-01-03T00:00:00Z',
};
const COMPAT = {
  metrics: SUMMARY.metrics,
  dimensions: SUMMARY.dimensions,
  start_date: SUMMARY.start,
  end_date: SUMMARY.end,
};

/**
 * One key hammering the cached routes: beyond its limits it gets 429 problems with Retry-After
 * and costs no further upstream calls, the cache-bypass limit is the lower one, other keys are
 * unaffected, a key's own limits in API_KEYS apply, and the audit records every 429 with the
 * key's name. Time is a FakeClock: buckets refill only when the spec advances it.
 */
describe('per-key rate limits (e2e)', () => {
  let clock: FakeClock;
  let t: TestGateway;
  const { keys, env } = limitKeys({
    hammer: undefined,
    bystander: undefined,
    vip: { rps: 100, bypassRps: 10, bypassBurst: 20 },
    auditor: { rps: 0, bypassRps: 0 },
  });

  beforeAll(async () => {
    clock = new FakeClock();
    t = await startTestGateway({ clock, env: { ...SMALL_LIMITS, API_KEYS: env } });
  });
  afterAll(() => t.close());
  // Every bucket full again (the largest burst refills in 2 s of fake time).
  beforeEach(() => clock.advance(60_000));

  const get = (path: string, who: LimitKey, headers: Record<string, string> = {}) =>
    request(t.url).get(path).set(headers).set('authorization', `Bearer ${who.key}`);
  const post = (path: string, body: object, who: LimitKey, headers: Record<string, string> = {}) =>
    request(t.url).post(path).set(headers).set('authorization', `Bearer ${who.key}`).send(body);
  const statuses = async (n: number, send: () => request.Test): Promise<number[]> => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await send()).status);
    return out;
  };
  const queueStatsCalls = async () => (await t.control.stats()).routes.queueStats.calls;

  function expectRateLimited(res: Response, limit: string, burst: number): void {
    expect(res.status).toBe(429);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    expect(res.headers['ratelimit-limit']).toBe(String(burst));
    expect(res.headers['ratelimit-remaining']).toBe('0');
    expect(res.headers['ratelimit-reset']).toBe(res.headers['retry-after']);
    expect(res.body).toMatchObject({ status: 429, code: 'RATE_LIMITED', limit, burst });
  }

  it('stops one key hammering queue stats with no-cache at its bypass limit; others go on', async () => {
    await get('/v1/queues/stats', keys.bystander).expect(200);
    const before = await queueStatsCalls();
    expect(await statuses(8, () => get('/v1/queues/stats', keys.hammer, NO_CACHE))).toEqual([
      200, 200, 200, 429, 429, 429, 429, 429,
    ]);
    // Only the admitted refreshes reached CXone.
    expect((await queueStatsCalls()) - before).toBe(3);
    const refused = await get('/v1/queues/stats', keys.hammer, NO_CACHE);
    expectRateLimited(refused, 'cache-bypass', 3);
    expect(refused.headers['retry-after']).toBe('1');
    expect((refused.body as { detail: string }).detail).toContain(keys.hammer.name);
    // Another key is not affected, with or without no-cache.
    await get('/v1/queues/stats', keys.bystander, NO_CACHE).expect(200);
    await get('/v1/queues/stats', keys.bystander).expect(200);
  });

  it('counts every request against the higher requests limit: cache hits get one token each', async () => {
    const bypass = await statuses(4, () => get('/v1/queues/stats', keys.hammer, NO_CACHE));
    expect(bypass).toEqual([200, 200, 200, 429]);
    // 10 in the burst: 4 spent above (the refused one too), 6 left for cache hits.
    const hits = await statuses(7, () => get('/v1/queues/stats', keys.hammer));
    expect(hits).toEqual([200, 200, 200, 200, 200, 200, 429]);
    expectRateLimited(await get('/v1/queues/stats', keys.hammer), 'requests', 10);
  });

  it('admits again once Retry-After has passed, and no earlier', async () => {
    await statuses(3, () => get('/v1/queues/stats', keys.hammer, NO_CACHE));
    const refused = await get('/v1/queues/stats', keys.hammer, NO_CACHE).expect(429);
    await clock.advance(Number(refused.headers['retry-after']) * 1000 - 1);
    await get('/v1/queues/stats', keys.hammer, NO_CACHE).expect(429);
    await clock.advance(1);
    await get('/v1/queues/stats', keys.hammer, NO_CACHE).expect(200);
    await get('/v1/queues/stats', keys.hammer, NO_CACHE).expect(429);
  });

  it('counts summary refreshes (no-cache, cache_ttl 0) against the bypass limit, cached ones not', async () => {
    await post('/v1/analytics/summary', SUMMARY, keys.bystander).expect(200);
    const summary = (headers = {}) => post('/v1/analytics/summary', SUMMARY, keys.hammer, headers);
    expect(await statuses(2, () => summary(NO_CACHE))).toEqual([200, 200]);
    await post('/api/v1/analytics/query', { ...COMPAT, cache_ttl: 0 }, keys.hammer).expect(200);
    const refused = await post('/api/v1/analytics/query', { ...COMPAT, cache_ttl: 0 }, keys.hammer);
    expectRateLimited(refused, 'cache-bypass', 3);
    expectRateLimited(await summary(NO_CACHE), 'cache-bypass', 3);
    // Cached answers are still served to the same key, within its requests limit.
    await summary().expect(200);
    await post('/api/v1/analytics/query', { ...COMPAT, cache_ttl: 3600 }, keys.hammer).expect(200);
  });

  it('counts every request of an uncached upstream route against the bypass limit', async () => {
    const agent = t.sandbox.fixtures.agents.moderate;
    const history = () => get(`/v1/agents/${agent}/state-history`, keys.hammer);
    expect(await statuses(4, history)).toEqual([200, 200, 200, 429]);
    expectRateLimited(await history(), 'cache-bypass', 3);
  });

  it("applies a key's own limits from API_KEYS", async () => {
    const refreshes = await statuses(21, () => get('/v1/queues/stats', keys.vip, NO_CACHE));
    expect(refreshes.slice(0, 20).every((s) => s === 200)).toBe(true);
    expect(refreshes[20]).toBe(429);
    expectRateLimited(await get('/v1/queues/stats', keys.vip, NO_CACHE), 'cache-bypass', 20);
    // rps 0 in API_KEYS: no limit at all for that key.
    expect(
      new Set(await statuses(30, () => get('/v1/queues/stats', keys.auditor, NO_CACHE))),
    ).toEqual(new Set([200]));
  });

  it('audits every 429 like other rejections, with the key that was refused', async () => {
    await statuses(5, () => get('/v1/queues/stats', keys.hammer, NO_CACHE));
    const res = await get(`/v1/audit?actor=${keys.hammer.name}&limit=1000`, keys.auditor).expect(
      200,
    );
    const records = (res.body as { records: Record<string, unknown>[] }).records;
    const refused = records.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(2);
    for (const r of refused) {
      expect(r).toMatchObject({ actor: keys.hammer.name, outcome: 'client_error', status: 429 });
    }
    expect(refused.some((r) => r.route === '/v1/queues/stats')).toBe(true);
  });
});
