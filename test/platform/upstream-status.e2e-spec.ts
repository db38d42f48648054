import request from 'supertest';
import { startTestGateway, TestGateway, TEST_KEYS } from '../utils/test-gateway';
import { CxoneTokenProvider } from '../../src/cxone/token/cxone-token.provider';
import { CxoneClient } from '../../src/cxone/cxone.client';

/** The status route through the real pipeline (guard, scopes, filter) against the sandbox. */
describe('GET /v1/upstream/status', () => {
  let t: TestGateway;

  beforeAll(async () => {
    t = await startTestGateway();
  });
  afterAll(() => t.close());

  it('needs a key with audit:read', async () => {
    await request(t.url).get('/v1/upstream/status').expect(401);
    await request(t.url).get('/v1/upstream/status').set(t.auth(TEST_KEYS.reporting)).expect(403);
  });

  it('is documented in the OpenAPI document', async () => {
    const doc = await request(t.url).get('/docs-json').expect(200);
    const op = doc.body.paths['/v1/upstream/status']?.get;
    expect(op?.tags).toEqual(['upstream']);
    expect(op?.responses?.['200']).toBeDefined();
  });

  it('reports token, circuits, budget and the last error, never the token', async () => {
    const queueId = t.sandbox.fixtures.queues[0].id;
    await t.control.addFaults([{ route: 'userGet', kind: 'status', status: 404, times: 1 }]);
    // Upstream calls through the app's own client fill the token state and the last error.
    const client = t.gateway.app.get(CxoneClient);
    await client.request({
      operation: 'queueStats',
      method: 'GET',
      path: '/api/v2/reporting/queues/stats',
      query: { queueIds: queueId, granularity: 'REAL_TIME' },
    });
    await client
      .request({ operation: 'userGet', method: 'GET', path: '/api/v2/users/nobody' })
      .catch(() => undefined);

    const res = await request(t.url).get('/v1/upstream/status').set(t.auth()).expect(200);
    expect(res.body).toMatchObject({
      mode: 'cxone',
      baseUrl: t.sandbox.url,
      token: { valid: true, expiresInS: expect.any(Number), lastRefreshAt: expect.any(String) },
      circuits: { reporting: 'closed', analytics: 'closed', exports: 'closed', users: 'closed' },
      budget: { maxRps: 500, effectiveRps: 500, maxConcurrency: 16, inFlight: 0, queued: 0 },
      lastError: { operation: 'userGet', message: expect.stringContaining('HTTP 404') },
    });
    const token = await t.gateway.app.get(CxoneTokenProvider).getToken();
    expect(JSON.stringify(res.body)).not.toContain(token);
  });
});
