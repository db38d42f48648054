import request from 'supertest';
import { startTestGateway, TestGateway } from '../utils/test-gateway';

describe('readiness (e2e)', () => {
  let t: TestGateway;

  beforeAll(async () => {
    // Nothing listens on port 1: Redis is configured but down.
    t = await startTestGateway({ env: { REDIS_URL: 'redis://127.0.0.1:1' } });
  });
  afterAll(() => t.close(), 15000);

  it('reports a Redis outage as 503 problem+json with per-indicator details', async () => {
    const res = await request(t.url).get('/health/ready');
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.code).toBe('SERVICE_UNAVAILABLE');
    expect(res.body.checks.details.redis.status).toBe('down');
    expect(res.body.checks.details.cxone.status).toBe('up');
  });

  it('stays live and keeps serving while Redis is down', async () => {
    expect((await request(t.url).get('/health/live')).status).toBe(200);
    const stats = await request(t.url).get('/v1/queues/stats').set(t.auth());
    expect(stats.status).toBe(200);
  });
});
