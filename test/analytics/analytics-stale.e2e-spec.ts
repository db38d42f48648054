import request from 'supertest';
import { JumpClock } from '../utils/jump-clock';
import { startTestGateway, TestGateway } from '../utils/test-gateway';

const query = {
  metrics: ['handle_time', 'queue_time'],
  dimensions: ['channel'],
  start: '2024-05-01T00:00:00Z',
  end: '2024-05-02T00:00:00Z',
};
describe('analytics stale-if-error (e2e)', () => {
  // The cache TTL passes by a jump of the clock the gateway and its sandbox read.
  const clock = new JumpClock();
  let t: TestGateway;
  const summary = (b: object) => request(t.url).post('/v1/analytics/summary').set(t.auth()).send(b);

  beforeAll(async () => {
    t = await startTestGateway({
      env: { ANALYTICS_CACHE_TTL_S: '1', CXONE_DEADLINE_MS: '3000' },
      clock,
    });
  });
  afterAll(async () => t.close());
  afterEach(async () => t.control.clearFaults());

  it('serves the expired result as STALE while CXone answers 503', async () => {
    const fresh = await summary(query).expect(200);
    expect(fresh.headers['x-cache']).toBe('MISS');
    clock.jump(1000);
    await t.control.addFaults([{ route: 'analyticsQuery', kind: 'status', status: 503 }]);
    const stale = await summary(query).expect(200);
    expect(stale.headers['x-cache']).toBe('STALE');
    expect(stale.body.cache.status).toBe('STALE');
    expect(stale.body.cache.ageSeconds).toBeGreaterThanOrEqual(1);
    expect(stale.body.rows).toEqual(fresh.body.rows);
    expect(stale.headers.etag).toBe(fresh.headers.etag);
    const routes = (await t.control.stats()).routes.analyticsQuery;
    expect(routes.byStatus['503']).toBeGreaterThanOrEqual(1);

    // no-cache cannot refresh either: the last good result is still better than an error.
    const forced = await summary(query).set('cache-control', 'no-cache').expect(200);
    expect(forced.headers['x-cache']).toBe('STALE');

    // Faults cleared: still never an error — fresh data, or STALE while the breaker stays open.
    await t.control.clearFaults();
    const recovered = await summary(query).expect(200);
    expect(['MISS', 'STALE']).toContain(recovered.headers['x-cache']);
  }, 30_000);

  it('answers a problem (not a 500) when CXone fails and nothing is stored', async () => {
    await t.control.addFaults([{ route: 'analyticsQuery', kind: 'status', status: 503 }]);
    const res = await summary({ ...query, dimensions: ['skill'] });
    expect([502, 503, 504]).toContain(res.status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  }, 30_000);
});
