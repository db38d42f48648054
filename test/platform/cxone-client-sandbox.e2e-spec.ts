import { Logger } from '@nestjs/common';
import { CxoneTokenProvider } from '../../src/cxone/token/cxone-token.provider';
import { AppError } from '../../src/common/errors/app-error';
import { FakeClock } from '../../src/common/clock/fake-clock.fake';
import type { RedisService } from '../../src/common/redis/redis.service';
import type { AppConfig, CxoneConfig } from '../../src/config/app-config.types';
import { MetricsService } from '../../src/observability/metrics.service';
import { SandboxControlClient } from '../../src/sandbox/sandbox-control.client';
import { SandboxHandle, startSandbox } from '../../src/sandbox/sandbox.server';
import { CxoneClient } from '../../src/cxone/cxone.client';
import { CxoneHttp } from '../../src/cxone/cxone-http';
import type { UpstreamRequest } from '../../src/cxone/cxone.types';
import { ClientCredentialsGrant } from '../../src/dialects/v2/auth/client-credentials.grant';
import { fetchAllPages } from '../../src/cxone/paging';

interface HistoryRecord {
  agentId: string;
  timestamp: string;
  state: { id: number | string; name: string };
}
interface HistoryPage {
  records: HistoryRecord[];
  totalRecords: number;
}

function historyPage(data: unknown): HistoryPage {
  const page = data as Partial<HistoryPage>;
  if (!Array.isArray(page.records) || typeof page.totalRecords !== 'number') {
    throw new Error('records must be an array and totalRecords a number');
  }
  return page as HistoryPage;
}

async function failure(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

/** Lets already-delivered I/O and promise chains run (no time passes on the fake clock). */
const flushIo = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The client against the embedded CXone sandbox over real HTTP, scripted through its faults.
 * Time is fake and shared: the client's deadlines, timeouts, backoff and breaker and the
 * sandbox's token lifetimes and Retry-After dates all read the same FakeClock.
 */
describe('CxoneClient (against the sandbox)', () => {
  let sandbox: SandboxHandle;
  let control: SandboxControlClient;
  const http = new CxoneHttp();
  const clock = new FakeClock();
  const now = (): number => clock.now();
  let queueStats: UpstreamRequest;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    sandbox = await startSandbox({ port: 0 }, now);
    control = new SandboxControlClient(sandbox.url);
    queueStats = {
      operation: 'queueStats',
      method: 'GET',
      path: '/api/v2/reporting/queues/stats',
      query: { queueIds: sandbox.fixtures.queues[0].id, granularity: 'REAL_TIME' },
    };
  });
  afterAll(async () => {
    http.onApplicationShutdown();
    await sandbox.close();
  });
  beforeEach(async () => {
    await control.clearFaults();
    await control.resetStats();
  });

  function client(url: string, cxone: Partial<CxoneConfig> = {}): CxoneClient {
    const full: CxoneConfig = {
      dialect: 'v2',
      incontact: {
        issuer: url,
        accessKeyId: '',
        accessKeySecret: '',
        apiVersion: '30.0',
        apiVersions: {},
      },
      baseUrl: url,
      tokenUrl: `${url}/oauth/token`,
      clientId: 'sandbox-client',
      clientSecret: 'sandbox-secret',
      tokenAuth: 'body',
      timeoutMs: 2000,
      deadlineMs: 5000,
      maxAttempts: 4,
      maxRps: 1000,
      maxConcurrency: 16,
      ...cxone,
    };
    const config = { mode: 'sandbox', cxone: full, secrets: [full.clientSecret] } as AppConfig;
    const redis = { client: null } as unknown as RedisService;
    const metrics = new MetricsService();
    const grant = new ClientCredentialsGrant(config);
    const tokens = new CxoneTokenProvider(config, clock, redis, http, metrics, grant);
    return new CxoneClient(config, clock, redis, metrics, tokens, http, {
      backoffBaseMs: 50,
      backoffMaxMs: 200,
    });
  }

  const calls = async (route: 'queueStats' | 'token' | 'agentHistory' | 'exportCreate') =>
    (await control.stats()).routes[route].calls;

  /** Event wait: the sandbox has received `n` calls of `route` (each check is a round trip). */
  async function callsReach(route: 'queueStats', n: number): Promise<void> {
    while ((await calls(route)) < n) await flushIo();
  }

  it('survives a 429 storm, each caller waiting at least Retry-After', async () => {
    // After a storm the budget paces retries at the rate it learned (CXone accepted nothing), so
    // time is stepped from wait to wait while other calls are in flight: deadline and attempt
    // timeout leave room for that pace and for those steps.
    const sut = client(sandbox.url, { deadlineMs: 60_000, timeoutMs: 60_000 });
    await control.addFaults([
      { route: 'queueStats', kind: 'rateLimit', retryAfterS: 1, times: 10 },
    ]);
    const started = clock.now();
    const callers = Array.from({ length: 10 }, async () => {
      const res = await sut.request(queueStats);
      return { res, elapsed: clock.now() - started };
    });
    // Every caller waits: those answered 429 in backoff, the others in the budget's hold.
    await clock.whenSleeping(10);
    await clock.advance(999);
    expect((await control.stats()).routes.queueStats.byStatus['200']).toBeUndefined();
    await clock.advance(1);
    // Callers held before sending meet the storm's last 429s now, and wait those out in turn.
    const results = await clock.settle(Promise.all(callers));
    expect(results.every((r) => r.res.status === 200 && r.res.attempts === 2)).toBe(true);
    expect(Math.min(...results.map((r) => r.elapsed))).toBeGreaterThanOrEqual(1000);
    const stats = (await control.stats()).routes.queueStats;
    expect(stats.byStatus).toEqual({ '200': 10, '429': 10 });
  });

  it('honours Retry-After sent as an HTTP date', async () => {
    const sut = client(sandbox.url);
    await control.addFaults([
      { route: 'queueStats', kind: 'rateLimit', retryAfterS: 1, retryAfterDate: true, times: 1 },
    ]);
    const started = clock.now();
    await clock.settle(sut.request(queueStats));
    // The date has 1 s resolution (rounded up by the sandbox), so the wait is 1–2 s.
    expect(clock.now() - started).toBeGreaterThanOrEqual(1000);
  });

  it('returns data after two 503s, in three attempts', async () => {
    const sut = client(sandbox.url);
    await control.addFaults([{ route: 'queueStats', kind: 'status', status: 503, times: 2 }]);
    const res = await clock.settle(sut.request(queueStats));
    expect(res.attempts).toBe(3);
    expect(await calls('queueStats')).toBe(3);
    expect(res.data).toMatchObject({ data: [{ queue: { id: sandbox.fixtures.queues[0].id } }] });
  });

  it('fails within the deadline in an outage, then the breaker sheds load', async () => {
    const sut = client(sandbox.url, { deadlineMs: 2000 });
    await control.addFaults([{ route: 'queueStats', kind: 'status', status: 503 }]);
    const started = clock.now();
    const first = await failure(clock.settle(sut.request(queueStats)));
    expect(clock.now() - started).toBeLessThan(2000);
    expect(first.code).toBe('UPSTREAM_UNAVAILABLE');
    const errors: AppError[] = [];
    for (let i = 0; i < 20; i++) errors.push(await failure(clock.settle(sut.request(queueStats))));
    expect(errors.filter((e) => e.code === 'CIRCUIT_OPEN').length).toBeGreaterThanOrEqual(18);
    // 21 calls × 4 attempts would be 84 upstream calls without the breaker.
    expect(await calls('queueStats')).toBeLessThanOrEqual(8);
    expect(sut.circuits().reporting).toBe('open');
  });

  it('times out a hung upstream', async () => {
    const sut = client(sandbox.url, { timeoutMs: 200, maxAttempts: 2 });
    await control.addFaults([{ route: 'queueStats', kind: 'hang', times: 2 }]);
    const started = clock.now();
    const pending = failure(sut.request(queueStats));
    await callsReach('queueStats', 1);
    await clock.advance(200);
    // The backoff before the second attempt, and any pacing wait after it, woken as each comes
    // until the attempt is sent: waking one sleeper only hung when the retry slept twice.
    while ((await calls('queueStats')) < 2) {
      if (clock.sleeping() > 0) await clock.wakeNextSleeper();
      else await flushIo();
    }
    await clock.advance(200);
    const err = await pending;
    expect(err.code).toBe('UPSTREAM_TIMEOUT');
    expect(clock.now() - started).toBeLessThan(1500);
    expect(await calls('queueStats')).toBe(2);
  });

  it('refreshes expired tokens transparently', async () => {
    const sut = client(sandbox.url);
    await sut.request(queueStats);
    await control.expireTokens();
    const res = await sut.request(queueStats);
    expect(res.attempts).toBe(2);
    expect((await control.stats()).routes.queueStats.byStatus).toEqual({ '200': 2, '401': 1 });
    expect(await calls('token')).toBe(2);
  });

  it('refreshes a short-lived token before it expires (no 401 at all)', async () => {
    const shortLived = await startSandbox({ port: 0, tokenTtlS: 2 }, now);
    try {
      const sut = client(shortLived.url);
      const ctl = new SandboxControlClient(shortLived.url);
      await sut.request(queueStats);
      await clock.advance(1900);
      await sut.request(queueStats);
      const stats = await ctl.stats();
      expect(stats.tokensIssued).toBe(2);
      expect(stats.routes.queueStats.byStatus).toEqual({ '200': 2 });
    } finally {
      await shortLived.close();
    }
  });

  it('makes exactly one token request for 50 concurrent callers', async () => {
    const sut = client(sandbox.url);
    await clock.settle(Promise.all(Array.from({ length: 50 }, () => sut.request(queueStats))));
    expect(await calls('token')).toBe(1);
    expect(await calls('queueStats')).toBe(50);
  });

  it('recovers from one 401 with one refresh', async () => {
    const sut = client(sandbox.url);
    await control.addFaults([{ route: 'queueStats', kind: 'status', status: 401, times: 1 }]);
    const res = await sut.request(queueStats);
    expect(res.attempts).toBe(2);
    expect(await calls('token')).toBe(2);
  });

  it('reports bad credentials as UPSTREAM_AUTH_FAILED without a retry storm', async () => {
    const sut = client(sandbox.url, { clientSecret: 'not-the-secret' });
    const errors = await clock.settle(
      Promise.all(Array.from({ length: 5 }, () => failure(sut.request(queueStats)))),
    );
    expect(errors.every((e) => e.code === 'UPSTREAM_AUTH_FAILED')).toBe(true);
    expect(errors[0].message).toMatch(/^CXone rejected the client credentials/);
    expect(await calls('token')).toBeLessThanOrEqual(2);
    expect(await calls('queueStats')).toBe(0);
  });

  it('authenticates with HTTP Basic too', async () => {
    const sut = client(sandbox.url, { tokenAuth: 'basic' });
    await expect(sut.request(queueStats)).resolves.toMatchObject({ status: 200 });
  });

  it('fails fast with retryAfterS when Retry-After is longer than the deadline', async () => {
    const sut = client(sandbox.url, { deadlineMs: 3000 });
    await control.addFaults([
      { route: 'queueStats', kind: 'rateLimit', retryAfterS: 30, times: 1 },
    ]);
    // Fast = without waiting at all: the answer comes while the clock stands still.
    const outcome = await Promise.race([
      failure(sut.request(queueStats)),
      clock.whenSleeping().then(() => 'slept' as const),
    ]);
    expect(outcome).not.toBe('slept');
    const err = outcome as AppError;
    expect(err).toMatchObject({ code: 'RATE_LIMITED', retryAfterS: 30 });
    expect(await calls('queueStats')).toBe(1);
  });

  it('does not retry a POST that is not idempotent', async () => {
    const sut = client(sandbox.url);
    await control.addFaults([{ route: 'exportCreate', kind: 'status', status: 503, times: 1 }]);
    const err = await failure(
      sut.request({
        operation: 'exportCreate',
        method: 'POST',
        path: '/api/v2/analytics/exports',
        body: { dateFrom: '2026-01-01T00:00:00Z', dateTo: '2026-01-02T00:00:00Z' },
      }),
    );
    expect(err.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(await calls('exportCreate')).toBe(1);
  });

  it('maps an unknown queue to UPSTREAM_NOT_FOUND with CXone’s message', async () => {
    const sut = client(sandbox.url);
    const err = await failure(
      sut.request({
        ...queueStats,
        query: { queueIds: sandbox.fixtures.unknownQueue, granularity: 'REAL_TIME' },
      }),
    );
    expect(err.code).toBe('UPSTREAM_NOT_FOUND');
    expect(err.extensions?.upstream).toMatchObject({ status: 404 });
    expect(err.message).toContain('not found');
  });

  it('pages 10 000 history records over 100 pages, complete and in order', async () => {
    const sut = client(sandbox.url);
    const end = new Date('2026-01-15T00:00:00Z');
    const start = new Date(end.getTime() - 24 * 3600_000);
    const agentId = sandbox.fixtures.agents.busy;
    const paging = fetchAllPages<HistoryRecord>({
      pageSize: 100,
      fetchPage: async (page) =>
        (
          await sut.request(
            {
              operation: 'agentHistory',
              method: 'GET',
              path: `/api/v2/reporting/agents/${agentId}/history`,
              query: { start: start.toISOString(), end: end.toISOString(), page, pageSize: 100 },
            },
            historyPage,
          )
        ).data,
    });
    const result = await clock.settle(paging);
    expect(result.records.length).toBeGreaterThanOrEqual(9000);
    expect(result.pages).toBe(Math.ceil(result.records.length / 100));
    expect(await calls('agentHistory')).toBe(result.pages);
    const times = result.records.map((r) => Date.parse(r.timestamp));
    expect(times.every((t, i) => i === 0 || t >= times[i - 1])).toBe(true);
    // 100 real HTTP round trips: room for a machine shared with other suites.
  }, 30_000);
});
