import request from 'supertest';
import { agentIdOf } from '../../src/sandbox/incontact/ic-fixtures';
import Redis from 'ioredis';
import { startTestGateway, TEST_KEYS, testRedisUrl, type TestGateway } from '../utils/test-gateway';
import {
  gatewayGet,
  incontactEnv,
  pastDay,
  startDialectPair,
  type DialectPair,
} from './incontact-helpers';

/** Upstream faults of the reliability suite, survived by the incontact dialect. */
describe('incontact dialect under upstream faults (e2e)', () => {
  let pair: DialectPair;
  const history = () =>
    gatewayGet(
      pair.ic,
      `/v1/agents/${agentIdOf(pair.sandbox.fixtures.agents.moderate)}/state-history`,
      pastDay(),
    );
  const stats = () => gatewayGet(pair.ic, '/v1/queues/stats');
  const routeStats = async (route: 'icAgentStateHistory' | 'icSkillActivity' | 'icToken') =>
    (await pair.control.stats()).routes[route];

  beforeAll(async () => {
    pair = await startDialectPair({ withV2: false });
  });
  afterAll(() => pair.close());
  beforeEach(async () => {
    await pair.control.resetQuirks();
    await pair.control.clearFaults();
    await pair.control.resetStats();
  });

  it('retries 5xx answers of an idempotent call and answers 200', async () => {
    await pair.control.addFaults([
      { route: 'icAgentStateHistory', kind: 'status', status: 503, times: 2 },
    ]);
    const res = await history().expect(200);
    expect(res.body.count).toBeGreaterThan(0);
    expect((await routeStats('icAgentStateHistory')).byStatus).toMatchObject({ '503': 2 });
  });

  it('backs off and retries a 429 that carries no Retry-After', async () => {
    await pair.control.setQuirks({ retryAfterOn429: false });
    await pair.control.addFaults([{ route: 'icSkillActivity', kind: 'rateLimit', times: 2 }]);
    await stats().expect(200);
    const logged = await pair.control.stats();
    expect(logged.routes.icSkillActivity.byStatus).toMatchObject({ '429': 2 });
    const status = await request(pair.ic.url)
      .get('/v1/upstream/status')
      .set(pair.ic.auth(TEST_KEYS.all))
      .expect(200);
    // A 429 halves the shared upstream rate for a while.
    expect(status.body.budget.effectiveRps).toBeLessThan(status.body.budget.maxRps);
  });

  it('gives up on a call that hangs after the per-attempt timeout and retries it', async () => {
    await pair.control.addFaults([{ route: 'icSkillActivity', kind: 'hang', times: 1 }]);
    await stats().expect(200);
    expect((await routeStats('icSkillActivity')).calls).toBe(2);
  });

  it('re-grants once on a 401 (expired token) and retries the call', async () => {
    await history().expect(200);
    const before = (await pair.control.stats()).incontactTokensIssued;
    await pair.control.expireTokens();
    await pair.control.resetStats();
    await history().expect(200);
    const after = await pair.control.stats();
    expect(after.incontactTokensIssued).toBe(before + 1);
    expect(after.routes.icAgentStateHistory.byStatus).toMatchObject({ '401': 1, '200': 1 });
  });

  it('survives a failing token endpoint by retrying the grant', async () => {
    await pair.control.expireTokens();
    await pair.control.addFaults([{ route: 'icToken', kind: 'status', status: 502, times: 1 }]);
    await history().expect(200);
    expect((await routeStats('icToken')).byStatus).toMatchObject({ '502': 1, '200': 1 });
  });

  it('reads an error carried only in icStatusDescription, and reports it in upstream status', async () => {
    await pair.control.setQuirks({ errors: 'header-only' });
    const unknown = pair.sandbox.fixtures.incontact.agents.unknown;
    const res = await gatewayGet(pair.ic, `/v1/agents/${unknown}/state-history`).expect(404);
    expect(res.body.detail).toBe(`Agent ${unknown} not found`);
    expect(res.body.upstream).toMatchObject({ status: 404, message: expect.stringMatching(/\w/) });
    const status = await request(pair.ic.url)
      .get('/v1/upstream/status')
      .set(pair.ic.auth(TEST_KEYS.all))
      .expect(200);
    expect(status.body).toMatchObject({
      mode: 'cxone',
      dialect: 'incontact',
      baseUrl: pair.sandbox.url,
      lastError: { operation: 'agentHistory' },
    });
    expect(JSON.stringify(status.body)).not.toContain(
      pair.sandbox.fixtures.incontact.credentials.accessKeySecret,
    );
  });

  it('answers a 503-class problem within the deadline when CXone stays down', async () => {
    await pair.control.addFaults([{ route: 'icSkillActivity', kind: 'status', status: 503 }]);
    const res = await stats();
    expect([502, 503]).toContain(res.status);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  const redisUrl = testRedisUrl(14);
  (redisUrl ? it : it.skip)('makes one grant for two replicas sharing Redis', async () => {
    const redis = new Redis(redisUrl ?? '');
    await redis.flushdb();
    const env = { ...incontactEnv(pair.sandbox), REDIS_URL: redisUrl };
    const a = await startTestGateway({ sharedSandbox: pair.sandbox, env });
    const b = await startTestGateway({ sharedSandbox: pair.sandbox, env });
    try {
      const before = (await pair.control.stats()).incontactTokensIssued;
      await Promise.all([
        gatewayGet(a, '/v1/queues/stats').expect(200),
        gatewayGet(b, '/v1/queues/stats').expect(200),
      ]);
      expect((await pair.control.stats()).incontactTokensIssued).toBe(before + 1);
    } finally {
      await a.close();
      await b.close();
      await redis.quit();
    }
  });

  describe('with wrong credentials', () => {
    const start = (env: Record<string, string>): Promise<TestGateway> =>
      startTestGateway({
        sharedSandbox: pair.sandbox,
        env: { ...incontactEnv(pair.sandbox), ...env },
      });

    it.each([
      [
        'the access key',
        { CXONE_ACCESS_KEY_SECRET: 'revoked-access-key-secret' },
        'CXONE_ACCESS_KEY_ID',
      ],
      ['the application', { CXONE_CLIENT_SECRET: 'wrong-client-secret' }, 'CXONE_CLIENT_ID'],
    ])('reports %s as the culprit in readiness and upstream status', async (_, env, variable) => {
      const t = await start(env);
      try {
        await request(t.url).get('/health/ready').expect(503);
        // The public probe shows states only; the failure's text is behind audit:read.
        const ready = await request(t.url).get('/health/details').set(t.auth(TEST_KEYS.all));
        expect(JSON.stringify(ready.body)).toContain(variable);
        await gatewayGet(t, '/v1/queues/stats').expect(502);
        const status = await request(t.url)
          .get('/v1/upstream/status')
          .set(t.auth(TEST_KEYS.all))
          .expect(200);
        // The failed call carries the grant's own error, naming what to fix.
        expect(status.body.lastError.message).toContain(variable);
        expect(status.body.token.valid).toBe(false);
        const secret = Object.values(env)[0];
        expect(t.logs.text()).not.toContain(secret);
        expect(JSON.stringify(ready.body)).not.toContain(secret);
      } finally {
        await t.close();
      }
    });

    it('hints at CXONE_TOKEN_AUTH when the registration wants the other client authentication', async () => {
      await pair.control.setQuirks({ tokenAuth: 'basic' });
      const t = await start({ CXONE_TOKEN_AUTH: 'body' });
      try {
        await request(t.url).get('/health/ready').expect(503);
        const ready = await request(t.url).get('/health/details').set(t.auth(TEST_KEYS.all));
        expect(JSON.stringify(ready.body)).toContain('CXONE_TOKEN_AUTH');
      } finally {
        await t.close();
      }
    });
  });
});
