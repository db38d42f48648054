import request from 'supertest';
import { JumpClock } from '../utils/jump-clock';
import { startTestGateway, TestGateway, TEST_KEYS } from '../utils/test-gateway';

const CANARY_CLIENT_SECRET = 'canary-client-secret-7f3a9c';
const CANARY_SIGNING_SECRET = 'canary-signing-secret-51be2d';

describe('secrets never reach logs or responses (e2e)', () => {
  let t: TestGateway;
  const bodies: string[] = [];
  // Gateway and sandbox read one clock, so the 1 s token can expire without waiting for it.
  const clock = new JumpClock();

  beforeAll(async () => {
    t = await startTestGateway({
      clock,
      sandbox: { clientSecret: CANARY_CLIENT_SECRET, tokenTtlS: 1 },
      env: {
        CXONE_CLIENT_SECRET: CANARY_CLIENT_SECRET,
        WEBHOOK_SIGNING_SECRET: CANARY_SIGNING_SECRET,
        LOG_LEVEL: 'trace',
      },
    });
  });
  afterAll(() => t.close());

  it('masks the client secret, tokens, API keys and the signing secret everywhere', async () => {
    const agent = t.sandbox.fixtures.agents.moderate;
    const calls = [
      () => request(t.url).get(`/v1/agents/${agent}/state-history`).set(t.auth()),
      () => request(t.url).get('/v1/queues/stats').set('x-api-key', TEST_KEYS.all),
      () => request(t.url).get('/v1/upstream/status').set(t.auth()),
      () => request(t.url).get('/v1/audit').set(t.auth(TEST_KEYS.reporting)),
      () => request(t.url).get('/v1/audit').set('authorization', `Bearer ${CANARY_CLIENT_SECRET}`),
    ];
    for (const call of calls) bodies.push(JSON.stringify((await call()).body));
    // Token expiry mid-run forces a refresh, so token requests and responses pass through logs.
    clock.jump(1200);
    bodies.push(
      JSON.stringify(
        (await request(t.url).get(`/v1/agents/${agent}/state-history`).set(t.auth())).body,
      ),
    );
    expect((await t.control.stats()).tokensIssued).toBeGreaterThanOrEqual(2);
    // An upstream failure carries the request (with its Authorization header) in the error.
    await t.control.addFaults([{ route: 'queueStats', kind: 'status', status: 500 }]);
    bodies.push(
      JSON.stringify(
        (
          await request(t.url)
            .get('/v1/queues/stats')
            .set(t.auth())
            .set('cache-control', 'no-cache')
        ).body,
      ),
    );
    await t.control.clearFaults();

    const everything = t.logs.text() + bodies.join('\n');
    expect(t.logs.lines.length).toBeGreaterThan(5);
    for (const secret of [
      CANARY_CLIENT_SECRET,
      CANARY_SIGNING_SECRET,
      ...Object.values(TEST_KEYS),
    ]) {
      expect({ secret, found: everything.includes(secret) }).toEqual({ secret, found: false });
    }
    expect(everything).not.toMatch(/Bearer [A-Za-z0-9._~+/=-]{16,}/);
  });
});
