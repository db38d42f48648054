import { Logger } from '@nestjs/common';
import { gunzipSync, gzipSync } from 'node:zlib';
import { AppError } from '../common/errors/app-error';
import { FakeClock } from '../common/clock/fake-clock.fake';
import type { RedisService } from '../common/redis/redis.service';
import type { CxoneConfig } from '../config/app-config.types';
import { MetricsService } from '../observability/metrics.service';
import { CxoneClient } from './cxone.client';
import type { CxoneResilienceOptions } from './upstream-operation';
import { CxoneHttp } from './cxone-http';
import type { UpstreamRequest } from './cxone.types';
import { ClientCredentialsGrant } from '../dialects/v2/auth/client-credentials.grant';
import { StubUpstream, stubConfig } from './stub-upstream.fake';
import { CxoneTokenProvider } from './token/cxone-token.provider';

const PATH = '/api/v2/reporting/queues/stats';
const get: UpstreamRequest = { operation: 'queueStats', method: 'GET', path: PATH };

async function failure(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

/** A promise plus whether it has settled yet, for "not before" assertions in fake time. */
function track<T>(promise: Promise<T>): { promise: Promise<T>; settled: () => boolean } {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  return { promise, settled: () => settled };
}

/** Lets already-delivered I/O and promise chains run (no time passes on the fake clock). */
const flushIo = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Time is fake here: the clients' deadlines, timeouts, backoff and breaker run on a FakeClock. */

describe('CxoneClient (against a local stub)', () => {
  let stub: StubUpstream;
  const http = new CxoneHttp();
  let metrics: MetricsService;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    stub = await StubUpstream.start();
  });
  afterAll(async () => {
    http.onApplicationShutdown();
    await stub.close();
  });
  beforeEach(() => {
    stub.reset();
    stub.route(PATH, () => ({ body: { data: [{ queue: { id: 'q1' } }] } }));
  });

  function client(
    cxone: Partial<CxoneConfig> = {},
    options: Partial<CxoneResilienceOptions> = {},
  ): { sut: CxoneClient; tokens: CxoneTokenProvider; clock: FakeClock } {
    const config = stubConfig(stub.url, cxone);
    const clock = new FakeClock();
    const redis = { client: null } as unknown as RedisService;
    metrics = new MetricsService();
    const grant = new ClientCredentialsGrant(config);
    const tokens = new CxoneTokenProvider(config, clock, redis, http, metrics, grant);
    const sut = new CxoneClient(config, clock, redis, metrics, tokens, http, {
      backoffBaseMs: 20,
      backoffMaxMs: 100,
      ...options,
    });
    return { sut, tokens, clock };
  }

  async function callCount(operation: string, outcome: string): Promise<number> {
    const metric = await metrics.upstreamCalls.get();
    const value = metric.values.find(
      (v) => v.labels.operation === operation && v.labels.outcome === outcome,
    );
    return value?.value ?? 0;
  }

  it('sends Accept and a bearer token and returns the JSON body', async () => {
    const { sut } = client();
    const res = await sut.request({ ...get, query: { queueIds: 'q1,q2', skip: undefined } });
    expect(res).toMatchObject({
      status: 200,
      attempts: 1,
      data: { data: [{ queue: { id: 'q1' } }] },
    });
    const call = stub.requests.find((r) => r.path === PATH);
    expect(call?.headers.accept).toBe('application/json');
    expect(call?.headers.authorization).toMatch(/^Bearer tok-/);
    expect(await callCount('queueStats', 'ok')).toBe(1);
  });

  it('retries two 503s and returns the third answer', async () => {
    const { sut, clock } = client();
    stub.script(PATH, { status: 503 }, { status: 503 });
    const res = await clock.settle(sut.request(get));
    expect(res.attempts).toBe(3);
    expect(stub.count(PATH)).toBe(3);
    expect(await callCount('queueStats', 'http_5xx')).toBe(2);
  });

  it('waits at least Retry-After on a 429 and cuts the adaptive budget', async () => {
    const { sut, clock } = client({ maxRps: 20 });
    stub.script(PATH, { status: 429, headers: { 'retry-after': '1' } });
    const started = clock.now();
    const pending = track(sut.request(get));
    await clock.whenSleeping();
    await clock.advance(999);
    expect(stub.count(PATH)).toBe(1);
    expect(pending.settled()).toBe(false);
    const res = await clock.settle(pending.promise);
    expect(clock.now() - started).toBeGreaterThanOrEqual(1000);
    expect(res.attempts).toBe(2);
    // Halved limit; a rate learned from the calls accepted before (none): 1/s, under the 20 ceiling.
    expect(sut.budget()).toMatchObject({ maxRps: 20, effectiveRps: 1, limit: 8 });
    expect(await callCount('queueStats', 'rate_limited')).toBe(1);
  });

  it('honours Retry-After given as an HTTP date', async () => {
    const { sut, clock } = client();
    clock.set(Date.parse('2026-01-15T12:00:00.300Z'));
    const at = new Date(clock.now() + 1500);
    at.setMilliseconds(0);
    stub.script(PATH, { status: 503, headers: { 'retry-after': at.toUTCString() } });
    const pending = sut.request(get);
    await clock.whenSleeping();
    await clock.advance(at.getTime() - clock.now() - 1);
    expect(stub.count(PATH)).toBe(1);
    await clock.settle(pending);
    expect(stub.count(PATH)).toBe(2);
    expect(clock.now()).toBeGreaterThanOrEqual(at.getTime());
  });

  it('fails fast with retryAfterS when Retry-After outlasts the deadline', async () => {
    const { sut, clock } = client({ deadlineMs: 2000 });
    stub.script(PATH, {
      status: 429,
      headers: { 'retry-after': '60' },
      body: { message: 'slow down' },
    });
    // Fast = without waiting at all: the answer comes while the clock stands still.
    const outcome = await Promise.race([
      failure(sut.request(get)),
      clock.whenSleeping().then(() => 'slept' as const),
    ]);
    expect(outcome).not.toBe('slept');
    expect(clock.sleeps).toEqual([]);
    const err = outcome as AppError;
    expect(err).toMatchObject({ code: 'RATE_LIMITED', retryAfterS: 60 });
    expect(err.extensions).toEqual({ upstream: { status: 429, message: 'slow down' } });
  });

  it('maps 429s that outlive the attempts to RATE_LIMITED', async () => {
    const { sut, clock } = client({ maxAttempts: 2 });
    stub.script(
      PATH,
      ...Array.from({ length: 2 }, () => ({ status: 429, headers: { 'retry-after': '0' } })),
    );
    const err = await failure(clock.settle(sut.request(get)));
    expect(err.code).toBe('RATE_LIMITED');
    expect(stub.count(PATH)).toBe(2);
  });

  it('returns a 503-class error within the deadline in an outage, then sheds load', async () => {
    const { sut, clock } = client({ deadlineMs: 1500, maxAttempts: 3 }, { breakerThreshold: 5 });
    stub.route(PATH, () => ({ status: 503, body: { message: 'down' } }));
    const started = clock.now();
    const err = await failure(clock.settle(sut.request(get)));
    expect(clock.now() - started).toBeLessThan(1500);
    expect(err.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(err.message).toContain('HTTP 503: down');

    const errors: AppError[] = [];
    for (let i = 0; i < 30; i++) errors.push(await failure(clock.settle(sut.request(get))));
    expect(errors.filter((e) => e.code === 'CIRCUIT_OPEN').length).toBeGreaterThan(20);
    expect(stub.count(PATH)).toBeLessThan(10);
    expect(sut.circuits().reporting).toBe('open');
    expect(sut.circuits().analytics).toBe('closed');
    const open = errors.find((e) => e.code === 'CIRCUIT_OPEN');
    expect(open?.retryAfterS).toBeGreaterThanOrEqual(1);
    expect(await callCount('queueStats', 'circuit_open')).toBeGreaterThan(20);
  });

  it('lets one probe through when half-open and closes on success', async () => {
    const { sut, clock } = client(
      { maxAttempts: 1 },
      { breakerThreshold: 2, halfOpenAfterMs: 200 },
    );
    stub.script(PATH, { status: 500 }, { status: 500 });
    await failure(sut.request(get));
    await failure(sut.request(get));
    expect(sut.circuits().reporting).toBe('open');
    await clock.advance(199);
    expect((await failure(sut.request(get))).code).toBe('CIRCUIT_OPEN');
    await clock.advance(1);
    let release!: () => void;
    stub.script(PATH, { until: new Promise<void>((r) => (release = r)), body: { data: [] } });
    const before = stub.count(PATH);
    const results = Promise.all(Array.from({ length: 5 }, () => sut.request(get)));
    await stub.waitForRequests(PATH, before + 1);
    await flushIo();
    // The probe goes alone: the others wait for it, outside the concurrency budget.
    expect(sut.circuits().reporting).toBe('halfOpen');
    expect(sut.budget().inFlight).toBe(1);
    expect(stub.count(PATH) - before).toBe(1);
    release();
    expect(await results).toHaveLength(5);
    // Then they ran with the circuit closed.
    expect(stub.count(PATH) - before).toBe(5);
    expect(sut.circuits().reporting).toBe('closed');
  });

  it('reopens for another full delay when the probe fails', async () => {
    const { sut, clock } = client(
      { maxAttempts: 1 },
      { breakerThreshold: 2, halfOpenAfterMs: 200 },
    );
    stub.script(PATH, { status: 500 }, { status: 500 }, { status: 503 });
    await failure(sut.request(get));
    await failure(sut.request(get));
    await clock.advance(200);
    expect((await failure(sut.request(get))).code).toBe('UPSTREAM_UNAVAILABLE');
    expect(sut.circuits().reporting).toBe('open');
    await clock.advance(199);
    const shed = await failure(sut.request(get));
    expect(shed).toMatchObject({ code: 'CIRCUIT_OPEN', retryAfterS: 1 });
    expect(stub.count(PATH)).toBe(3);
    await clock.advance(1);
    await expect(sut.request(get)).resolves.toMatchObject({ status: 200 });
    expect(sut.circuits().reporting).toBe('closed');
  });

  it('does not trip the breaker on 4xx answers', async () => {
    const { sut } = client({}, { breakerThreshold: 2 });
    stub.route(PATH, () => ({ status: 404, body: { message: 'Queue not found' } }));
    for (let i = 0; i < 5; i++) {
      const err = await failure(sut.request(get));
      expect(err.code).toBe('UPSTREAM_NOT_FOUND');
    }
    expect(sut.circuits().reporting).toBe('closed');
    expect(stub.count(PATH)).toBe(5);
  });

  it('times out a hung upstream and releases the socket', async () => {
    const { sut, clock } = client({ timeoutMs: 150, deadlineMs: 2000, maxAttempts: 2 });
    stub.script(PATH, { hang: true }, { hang: true });
    const closedBefore = stub.closedSockets;
    const started = clock.now();
    const pending = track(failure(sut.request(get)));
    await stub.waitForRequests(PATH, 1);
    await clock.advance(149);
    expect(pending.settled()).toBe(false);
    await clock.advance(1);
    // The backoff before the second attempt, and any other sleep in its way, woken as each comes
    // until the attempt is sent: waking one sleeper only hung under load, when it was not the
    // backoff (which registered later, once the aborted socket's failure had come through).
    while (stub.count(PATH) < 2) {
      if (clock.sleeping() > 0) await clock.wakeNextSleeper();
      else await new Promise((resolve) => setImmediate(resolve));
    }
    await clock.advance(150);
    const err = await pending.promise;
    expect(clock.now() - started).toBeLessThan(1000);
    expect(err.code).toBe('UPSTREAM_TIMEOUT');
    expect(stub.count(PATH)).toBe(2);
    // Each timed-out attempt really closed its socket.
    await stub.waitForClosedSockets(closedBefore + 2);
    expect(await callCount('queueStats', 'timeout')).toBe(2);
  });

  it('caps an attempt by the remaining deadline', async () => {
    const { sut, clock } = client({ timeoutMs: 5000, deadlineMs: 300 });
    stub.script(PATH, { hang: true });
    const pending = track(failure(sut.request(get)));
    await stub.waitForRequests(PATH, 1);
    await clock.advance(299);
    expect(pending.settled()).toBe(false);
    await clock.advance(1);
    const err = await pending.promise;
    expect(err.code).toBe('UPSTREAM_TIMEOUT');
  });

  it('leaves no timer behind once an operation ends', async () => {
    const { sut, clock } = client();
    await sut.request(get);
    stub.script(PATH, { status: 404 });
    await failure(sut.request(get));
    stub.script(PATH, { status: 503 });
    await clock.settle(sut.request(get));
    expect(clock.pending()).toBe(0);
  });

  it('retries a reset connection for a GET', async () => {
    const { sut, clock } = client();
    stub.script(PATH, { reset: true });
    const res = await clock.settle(sut.request(get));
    expect(res.attempts).toBe(2);
    expect(await callCount('queueStats', 'network')).toBe(1);
  });

  it('does not retry a non-idempotent POST on 503, but does when marked idempotent', async () => {
    const { sut, clock } = client();
    const post: UpstreamRequest = {
      operation: 'exportCreate',
      method: 'POST',
      path: '/api/v2/analytics/exports',
      body: { a: 1 },
    };
    stub.script(post.path, { status: 503 }, { status: 503 });
    const err = await failure(sut.request(post));
    expect(err.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(stub.count(post.path)).toBe(1);
    stub.route(post.path, () => ({ status: 202, body: { id: 'job-1' } }));
    const res = await clock.settle(sut.request({ ...post, idempotent: true }));
    expect(res).toMatchObject({ status: 202, data: { id: 'job-1' }, attempts: 2 });
    expect(JSON.parse(stub.requests[stub.requests.length - 1].body)).toEqual({ a: 1 });
  });

  it('retries a POST on 429 (CXone did not process it)', async () => {
    const { sut, clock } = client();
    const post: UpstreamRequest = {
      operation: 'analyticsQuery',
      method: 'POST',
      path: '/api/v2/analytics/summary/query',
      body: {},
    };
    stub.script(post.path, { status: 429, headers: { 'retry-after': '0' } });
    stub.route(post.path, () => ({ body: { data: [] } }));
    expect((await clock.settle(sut.request(post))).attempts).toBe(2);
  });

  it('refreshes the token once on a 401 and succeeds', async () => {
    const { sut } = client();
    await sut.request(get);
    stub.expireTokens();
    const res = await sut.request(get);
    expect(res.attempts).toBe(2);
    expect(stub.tokensIssued).toBe(2);
  });

  it('refreshes once for a PUT too, then reports a second 401 as UPSTREAM_AUTH_FAILED', async () => {
    const { sut } = client();
    const put: UpstreamRequest = {
      operation: 'userStatus',
      method: 'PUT',
      path: '/api/v2/users/u1/status',
      body: {},
    };
    stub.script(put.path, { status: 401, body: { message: 'Invalid token' } });
    stub.route(put.path, () => ({ body: { ok: true } }));
    expect((await sut.request(put)).attempts).toBe(2);
    stub.script(put.path, { status: 401 }, { status: 401, body: { message: 'Invalid token' } });
    const err = await failure(sut.request(put));
    expect(err.code).toBe('UPSTREAM_AUTH_FAILED');
    expect(err.message).toBe(
      'CXone rejected our credentials/scopes for userStatus (HTTP 401): Invalid token',
    );
    expect(stub.tokensIssued).toBe(3);
  });

  it('reports a 403 as UPSTREAM_AUTH_FAILED without retrying', async () => {
    const { sut } = client();
    stub.script(PATH, { status: 403, body: { message: "Missing scope 'reports:view'" } });
    const err = await failure(sut.request(get));
    expect(err.code).toBe('UPSTREAM_AUTH_FAILED');
    expect(stub.count(PATH)).toBe(1);
  });

  it('fails with UPSTREAM_AUTH_FAILED on bad credentials without a retry storm', async () => {
    const { sut, clock } = client({ clientSecret: 'wrong-secret-value' });
    const errs = await clock.settle(
      Promise.all(Array.from({ length: 10 }, () => failure(sut.request(get)))),
    );
    expect(errs.every((e) => e.code === 'UPSTREAM_AUTH_FAILED')).toBe(true);
    expect(stub.count('/oauth/token')).toBeLessThanOrEqual(2);
    expect(stub.count(PATH)).toBe(0);
  });

  it('makes one token request for 50 concurrent callers', async () => {
    const { sut, clock } = client();
    await clock.settle(Promise.all(Array.from({ length: 50 }, () => sut.request(get))));
    expect(stub.count('/oauth/token')).toBe(1);
    expect(stub.count(PATH)).toBe(50);
  });

  it('maps statuses to codes, keeping CXone’s message but never the token', async () => {
    const { sut } = client();
    const cases: [number, string][] = [
      [400, 'UPSTREAM_BAD_REQUEST'],
      [404, 'UPSTREAM_NOT_FOUND'],
      [409, 'UPSTREAM_CONFLICT'],
      [422, 'UPSTREAM_ERROR'],
    ];
    for (const [status, code] of cases) {
      stub.script(PATH, {
        status,
        body: { error: 'Bad', message: 'Bearer abcdefghijkl rejected' },
      });
      const err = await failure(sut.request(get));
      expect(err.code).toBe(code);
      expect(err.message).toContain(`queueStats with HTTP ${status}`);
      expect(err.message).not.toContain('abcdefghijkl');
      expect(err.extensions?.upstream).toMatchObject({ status });
    }
  });

  it('truncates a long upstream message', async () => {
    const { sut } = client();
    stub.script(PATH, {
      status: 400,
      raw: 'x'.repeat(5000),
      headers: { 'content-type': 'text/plain' },
    });
    const err = await failure(sut.request(get));
    expect(err.message.length).toBeLessThan(300);
  });

  it('rejects a response of the wrong shape', async () => {
    const { sut } = client();
    const validate = (data: unknown): { data: unknown[] } => {
      if (!Array.isArray((data as { data?: unknown }).data))
        throw new Error('data must be an array');
      return data as { data: unknown[] };
    };
    stub.script(PATH, { body: { data: 'nope' } });
    const err = await failure(sut.request(get, validate));
    expect(err).toMatchObject({ code: 'UPSTREAM_ERROR' });
    expect(err.message).toBe(
      'unexpected response shape from CXone for queueStats: data must be an array',
    );
    await expect(sut.request(get, validate)).resolves.toMatchObject({
      data: { data: [{ queue: { id: 'q1' } }] },
    });
  });

  it('rejects malformed JSON', async () => {
    const { sut } = client();
    stub.script(PATH, { raw: '{"data": [1, 2' });
    const err = await failure(sut.request(get));
    expect(err).toMatchObject({
      code: 'UPSTREAM_ERROR',
      message: 'malformed JSON from CXone for queueStats',
    });
  });

  it('streams a gzip download without decompressing it', async () => {
    const { sut } = client();
    const path = '/api/v2/analytics/exports/j1/download';
    const payload = JSON.stringify([{ id: 1 }]);
    stub.script(path, {
      raw: gzipSync(payload),
      headers: { 'content-type': 'application/gzip', 'content-encoding': 'gzip' },
    });
    const res = await sut.stream({ operation: 'exportDownload', method: 'GET', path });
    expect(res.headers['content-encoding']).toBe('gzip');
    const chunks: Buffer[] = [];
    for await (const chunk of res.stream) chunks.push(chunk as Buffer);
    expect(gunzipSync(Buffer.concat(chunks)).toString()).toBe(payload);
  });

  it('maps a failed download to an error with CXone’s message', async () => {
    const { sut } = client();
    const path = '/api/v2/analytics/exports/j2/download';
    stub.script(path, { status: 404, body: { message: 'Export j2 not found' } });
    const err = await failure(sut.stream({ operation: 'exportDownload', method: 'GET', path }));
    expect(err).toMatchObject({ code: 'UPSTREAM_NOT_FOUND' });
    expect(err.message).toContain('Export j2 not found');
  });

  it('stops when the caller cancels, without waiting for the answer', async () => {
    const { sut, clock } = client();
    const controller = new AbortController();
    stub.script(PATH, { hang: true });
    const closedBefore = stub.closedSockets;
    const pending = failure(sut.request({ ...get, signal: controller.signal }));
    await stub.waitForRequests(PATH, 1);
    controller.abort();
    const err = await pending;
    expect(err.message).toBe('CXone queueStats was cancelled by the caller');
    expect(clock.sleeps).toEqual([]);
    await stub.waitForClosedSockets(closedBefore + 1);
  });

  it('records the last error', async () => {
    const { sut } = client();
    expect(sut.lastError()).toBeNull();
    stub.script(PATH, { status: 404, body: { message: 'gone' } });
    await failure(sut.request(get));
    expect(sut.lastError()).toMatchObject({
      operation: 'queueStats',
      message: expect.stringContaining('404'),
    });
  });
});
