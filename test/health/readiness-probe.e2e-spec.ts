import request from 'supertest';
import { FakeClock } from '../../src/common/clock/fake-clock.fake';
import type { RouteName } from '../../src/sandbox/faults';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/sandbox.server';
import { incontactEnv } from '../reporting/incontact-helpers';
import { startTestGateway, TEST_KEYS, type TestGateway } from '../utils/test-gateway';

const INTERVAL_S = 30;
const TIMEOUT_MS = 3000;

interface DialectCase {
  dialect: 'v2' | 'incontact';
  /** The sandbox route of the token grant and of the dialect's probe call. */
  tokenRoute: RouteName;
  probeRoute: RouteName;
  issued: 'tokensIssued' | 'incontactTokensIssued';
  env: (sandbox: SandboxHandle) => Record<string, string | undefined>;
}

const CASES: DialectCase[] = [
  {
    dialect: 'v2',
    tokenRoute: 'token',
    probeRoute: 'exportList',
    issued: 'tokensIssued',
    env: () => ({}),
  },
  {
    dialect: 'incontact',
    tokenRoute: 'icToken',
    probeRoute: 'icUnavailableCodes',
    issued: 'incontactTokensIssued',
    env: incontactEnv,
  },
];

/**
 * Readiness notices, with no user request at all, that CXone revoked the cached token and that
 * the token endpoint hangs: the probe (one authenticated call per READINESS_PROBE_INTERVAL_S)
 * meets the 401, drops the token and tries to refresh it. Time is a FakeClock shared with the
 * sandbox, so token lifetimes, the interval and the timeout move only when the spec says.
 */
describe.each(CASES)('readiness probe, $dialect dialect (e2e)', (c) => {
  const clock = new FakeClock();
  let sandbox: SandboxHandle;
  let t: TestGateway;

  const ready = () => request(t.url).get('/health/ready');
  const details = () => request(t.url).get('/health/details').set(t.auth(TEST_KEYS.all));
  const routeStats = async (route: RouteName) => (await t.control.stats()).routes[route];

  /** Resolves once the sandbox has counted `n` calls of `route` (hung ones count on arrival). */
  async function untilCalled(route: RouteName, n: number): Promise<void> {
    for (;;) {
      if ((await routeStats(route)).calls >= n) return;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 }, () => clock.now());
    t = await startTestGateway({
      clock,
      sharedSandbox: sandbox,
      env: {
        ...c.env(sandbox),
        READINESS_PROBE_INTERVAL_S: String(INTERVAL_S),
        READINESS_PROBE_TIMEOUT_MS: String(TIMEOUT_MS),
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await sandbox.close();
  });
  beforeEach(async () => {
    await t.control.clearFaults();
    // Past the interval and any credential-failure cooldown: every case starts with a probe that works.
    await clock.advance(INTERVAL_S * 1000);
    await ready().expect(200);
    await t.control.resetStats();
  });

  it('answers from the last probe within the interval: no upstream call per readiness call', async () => {
    for (let i = 0; i < 5; i++) {
      await clock.advance(INTERVAL_S * 100);
      await ready().expect(200);
    }
    expect((await routeStats(c.probeRoute)).calls).toBe(0);
    await clock.advance(INTERVAL_S * 1000);
    await ready().expect(200);
    expect((await routeStats(c.probeRoute)).byStatus).toEqual({ '200': 1 });
  });

  it('meets a revoked token at the next probe and refreshes it, without any user request', async () => {
    await t.control.expireTokens();
    const before = (await t.control.stats())[c.issued];
    await clock.advance(INTERVAL_S * 1000);
    await ready().expect(200);
    const after = await t.control.stats();
    expect(after.routes[c.probeRoute].byStatus).toEqual({ '401': 1, '200': 1 });
    expect(after[c.issued]).toBe(before + 1);
  });

  it('is 503 once the token was revoked and the token endpoint refuses us, then recovers', async () => {
    await t.control.expireTokens();
    // Credentials revoked too: a 401 from the token endpoint is final (a 5xx would be retried
    // with backoff on the clock, which only moves when this spec says so).
    await t.control.addFaults([{ route: c.tokenRoute, kind: 'status', status: 401 }]);
    // Within the interval the last probe stands: readiness cannot know yet.
    await ready().expect(200);

    await clock.advance(INTERVAL_S * 1000);
    const down = await ready().expect(503);
    expect(down.body.checks.details.cxone).toMatchObject({ status: 'down', token: 'unavailable' });
    expect(down.body.checks.details.cxone.message).toBeUndefined();
    const explained = await details().expect(200);
    expect(explained.body.details.cxone.status).toBe('down');
    expect(explained.body.details.cxone.message).toMatch(/no CXone token/);
    expect((await routeStats(c.probeRoute)).byStatus).toEqual({ '401': 1 });

    await t.control.clearFaults();
    await clock.advance(INTERVAL_S * 1000);
    const up = await ready().expect(200);
    expect(up.body.details.cxone).toMatchObject({ status: 'up', token: 'accepted' });
  });

  it('is 503 within READINESS_PROBE_TIMEOUT_MS when the token was revoked and the token endpoint hangs', async () => {
    await t.control.expireTokens();
    await t.control.addFaults([{ route: c.tokenRoute, kind: 'hang' }]);
    await clock.advance(INTERVAL_S * 1000);

    const answer = ready().then((res) => res);
    await untilCalled(c.tokenRoute, 1);
    await clock.advance(TIMEOUT_MS);
    const res = await answer;
    expect(res.status).toBe(503);
    expect(res.body.checks.details.cxone).toMatchObject({ status: 'down', token: 'unavailable' });
    expect(res.body.checks.details.cxone.message).toBeUndefined();
    expect((await routeStats(c.probeRoute)).byStatus).toEqual({ '401': 1 });
    const explained = await details().expect(200);
    expect(explained.body.details.cxone.message).toMatch(/no CXone token/);

    await t.control.clearFaults();
    await clock.advance(INTERVAL_S * 1000);
    await ready().expect(200);
  });
});
