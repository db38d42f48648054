import { request as httpRequest } from 'node:http';
import request from 'supertest';
import { AnalyticsQueryValidator } from '../../src/analytics/analytics-query.validator';
import { AnalyticsService } from '../../src/analytics/analytics.service';
import { AnalyticsCacheService } from '../../src/analytics/cache/analytics-cache.service';
import type { SingleFlight } from '../../src/common/concurrency/single-flight';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/sandbox.server';
import { SandboxControlClient } from '../../src/sandbox/sandbox-control.client';
import { incontactEnv } from '../reporting/incontact-helpers';
import { startTestGateway, TEST_KEYS, type TestGateway } from '../utils/test-gateway';
import { auditOf, upstreamCalls, upstreamIdle, waitFor } from './bounds-helpers';

const DAY_MS = 86_400_000;

/** The longest range the summary accepts (ANALYTICS_MAX_RANGE_DAYS, 366), ending today 00:00 UTC. */
function maxRange(): { start: string; end: string } {
  const end = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  return { start: new Date(end - 366 * DAY_MS).toISOString(), end: new Date(end).toISOString() };
}

describe('an oversized analytics summary is the caller’s to shrink (e2e, sandbox)', () => {
  let sandbox: SandboxHandle;
  let control: SandboxControlClient;
  let v2: TestGateway;
  let ic: TestGateway;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
    control = new SandboxControlClient(sandbox.url);
    // The sandbox aggregates a whole year for the first page: give that one call time.
    v2 = await startTestGateway({
      sharedSandbox: sandbox,
      env: { CXONE_TIMEOUT_MS: '60000', CXONE_DEADLINE_MS: '90000' },
    });
    ic = await startTestGateway({ sharedSandbox: sandbox, env: incontactEnv(sandbox) });
  });
  afterAll(async () => {
    await ic.close();
    await v2.close();
    await sandbox.close();
  });

  const summary = (t: TestGateway, body: object) =>
    request(t.url)
      .post('/v1/analytics/summary')
      .set({ ...t.auth(), 'cache-control': 'no-cache' })
      .send(body);

  it('v2: a max-range, five-dimension summary is refused with a 422 after its first page', async () => {
    await control.resetStats();
    const res = await summary(v2, {
      metrics: ['handle_time', 'talk_time'],
      dimensions: ['date', 'channel', 'skill', 'queue', 'agent'],
      ...maxRange(),
    });
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.code).not.toBe('UPSTREAM_ERROR');
    expect(res.body).toMatchObject({
      limit: { name: 'ANALYTICS_MAX_UPSTREAM_CALLS', value: 500 },
      shrink: expect.stringContaining('shorten the range'),
    });
    // 366 days × 360 cells = 131 760 rows at 50 a page.
    expect(res.body.estimatedUpstreamCalls).toBe(Math.ceil((366 * 360) / 50));
    expect((await control.stats()).routes.analyticsQuery.calls).toBe(1);
  }, 120_000);

  it('v2 without metadata.totalRows: pages up to ANALYTICS_MAX_UPSTREAM_CALLS, then a 422 (never 502)', async () => {
    // The total is not a documented field: a tenant may leave it out (or send it as text).
    await control.setQuirks({ analyticsTotalRows: 'absent' });
    try {
      await control.resetStats();
      const res = await summary(v2, {
        metrics: ['handle_time', 'talk_time'],
        dimensions: ['date', 'channel', 'skill', 'queue', 'agent'],
        ...maxRange(),
      });
      expect(res.status).toBe(422);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body).toMatchObject({
        code: 'UNPROCESSABLE',
        limit: { name: 'ANALYTICS_MAX_UPSTREAM_CALLS', value: 500 },
        shrink: expect.stringContaining('shorten the range'),
      });
      expect(res.body.detail).toContain('needs more than 500 upstream calls');
      // Unpriced: the chain ran to the limit and the call past it was never sent.
      expect(res.body.estimatedUpstreamCalls).toBeUndefined();
      expect(await upstreamCalls(v2, 'analyticsQuery')).toBe(500);
    } finally {
      await control.resetQuirks();
    }
  }, 120_000);

  it('v2: the same dimensions over a week still answer', async () => {
    const end = Math.floor(Date.now() / DAY_MS) * DAY_MS;
    const res = await summary(v2, {
      metrics: ['handle_time'],
      dimensions: ['date', 'channel'],
      start: new Date(end - 7 * DAY_MS).toISOString(),
      end: new Date(end).toISOString(),
    });
    expect(res.status).toBe(200);
  });

  it('incontact: a year of daily skill buckets is priced before any call and refused', async () => {
    await control.resetStats();
    const res = await summary(ic, {
      metrics: ['contacts_handled', 'service_level'],
      dimensions: ['date', 'skill'],
      ...maxRange(),
    });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      limit: { name: 'ANALYTICS_MAX_UPSTREAM_CALLS', value: 500 },
      // One skill summary and one SLA summary per day.
      estimatedUpstreamCalls: 366 * 2,
    });
    const { routes } = await control.stats();
    expect(routes.icSkillSummary.calls + routes.icSlaSummary.calls).toBe(0);
  });

  it('incontact: the same question over a month answers', async () => {
    const end = Math.floor(Date.now() / DAY_MS) * DAY_MS;
    const res = await summary(ic, {
      metrics: ['contacts_handled', 'service_level'],
      dimensions: ['date', 'skill'],
      start: new Date(end - 31 * DAY_MS).toISOString(),
      end: new Date(end).toISOString(),
    });
    expect(res.status).toBe(200);
  });
});

/** The 30 whole UTC days before today. */
function lastMonth(): { start: string; end: string } {
  const end = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  return { start: new Date(end - 30 * DAY_MS).toISOString(), end: new Date(end).toISOString() };
}

/** 30 days × 360 cells = 10 800 rows: 216 pages of 50, each slowed down by the sandbox. */
const SLOW_SUMMARY = {
  metrics: ['handle_time'],
  dimensions: ['date', 'channel', 'skill', 'queue', 'agent'],
  ...lastMonth(),
};
const SLOW_SUMMARY_PAGES = Math.ceil((30 * 360) / 50);

/**
 * A summary POST from a client that hangs up: sent, then destroyed once `hangUpWhen` resolves.
 * Resolves when the socket is closed; the answer is never read.
 */
async function postAndHangUp(
  t: TestGateway,
  body: object,
  hangUpWhen: () => Promise<unknown>,
  key: string,
): Promise<void> {
  const text = JSON.stringify(body);
  const req = httpRequest(new URL('/v1/analytics/summary', t.url), {
    method: 'POST',
    headers: {
      ...t.auth(key),
      'cache-control': 'no-cache',
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(text)),
    },
  });
  const closed = new Promise<void>((resolve) => req.once('close', () => resolve()));
  req.on('error', () => undefined);
  req.end(text);
  await hangUpWhen();
  req.destroy();
  await closed;
}

describe('a client that hangs up on a slow analytics summary (e2e, sandbox)', () => {
  let t: TestGateway;
  beforeAll(async () => {
    // Only the callers may stop these summaries: no call limit or deadline in the way.
    t = await startTestGateway({
      env: { ANALYTICS_MAX_UPSTREAM_CALLS: '100000', ANALYTICS_DEADLINE_MS: '600000' },
    });
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await t.control.clearFaults();
    await t.control.addFaults([{ route: 'analyticsQuery', kind: 'latency', latencyMs: 10 }]);
    await t.control.resetStats();
  });
  afterEach(() => t.control.clearFaults());

  const pagesSent = () => upstreamCalls(t, 'analyticsQuery');
  const underWay = (calls: number) => () =>
    waitFor(
      async () => ((await pagesSent()) >= calls ? true : undefined),
      `${calls} summary pages`,
    );
  /** A later request's answer: a whole round trip through gateway and sandbox. */
  const queueStats = () =>
    request(t.url)
      .get('/v1/queues/stats')
      .set({ ...t.auth(), 'cache-control': 'no-cache' })
      .expect(200);

  /** Callers waiting on the shared fetch of a summary body. */
  const waitersOf = (body: object): number => {
    const app = t.gateway.app;
    const key = app
      .get(AnalyticsCacheService)
      .keyFor(app.get(AnalyticsQueryValidator).normalize(body as never));
    // The service keeps its single-flight private; the spec only reads how many wait on it.
    const service: unknown = app.get(AnalyticsService);
    return (service as { flights: SingleFlight<unknown> }).flights.waitersOf(key);
  };

  it('stops the upstream pages when its only caller hangs up, and audits the request as aborted', async () => {
    await postAndHangUp(t, SLOW_SUMMARY, underWay(5), TEST_KEYS.other);
    await upstreamIdle(t);
    // Pages the gateway had sent before the hang-up may land a moment later: a round trip first.
    await queueStats();
    const afterHangUp = await pagesSent();
    expect(afterHangUp).toBeGreaterThanOrEqual(5);
    expect(afterHangUp).toBeLessThan(SLOW_SUMMARY_PAGES);
    // Other work goes on, and the abandoned chain does not resume behind it.
    await queueStats();
    await upstreamIdle(t);
    expect(await upstreamCalls(t, 'queueStats')).toBe(2);
    expect(await pagesSent()).toBe(afterHangUp);
    expect((await t.control.stats()).analyticsChains).toBe(1);

    const aborted = await waitFor(async () => {
      const records = await auditOf(t, 'other');
      return records.find((r) => r.route === '/v1/analytics/summary' && r.outcome === 'aborted');
    }, 'the aborted summary in the audit');
    expect(aborted).toMatchObject({ status: 499, outcome: 'aborted' });
  }, 60_000);

  it('goes on for a second caller of the same query when the first hangs up', async () => {
    let second: Promise<request.Response> | undefined;
    await postAndHangUp(
      t,
      SLOW_SUMMARY,
      async () => {
        await underWay(3)();
        second = request(t.url)
          .post('/v1/analytics/summary')
          .set({ ...t.auth(), 'cache-control': 'no-cache' })
          .send(SLOW_SUMMARY)
          .then((res) => res);
        // The second caller waits on the first one's fetch before the first one leaves.
        await waitFor(() => (waitersOf(SLOW_SUMMARY) === 2 ? true : undefined), 'two waiters');
      },
      TEST_KEYS.other,
    );
    const res = await second!;
    expect(res.status).toBe(200);
    expect(res.body.rows.length).toBeGreaterThan(0);
    // One chain, run to its end for the caller who stayed.
    const stats = await t.control.stats();
    expect(stats.analyticsChains).toBe(1);
    expect(stats.routes.analyticsQuery.calls).toBe(SLOW_SUMMARY_PAGES);
  }, 60_000);
});
