import { Logger } from '@nestjs/common';
import { gunzipSync, gzipSync } from 'node:zlib';
import { CxoneTokenProvider } from '../auth/cxone-token.provider';
import { AppError } from '../common/errors/app-error';
import { SystemClock } from '../common/clock/clock';
import type { RedisService } from '../common/redis/redis.service';
import type { CxoneConfig } from '../config/app-config.types';
import { MetricsService } from '../health/metrics.service';
import { CxoneClient } from './cxone.client';
import type { CxoneResilienceOptions } from './upstream-operation';
import { CxoneHttp } from './cxone-http';
import type { UpstreamRequest } from './cxone.types';
import { StubUpstream, stubConfig } from './stub-upstream.fake';

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
  ): { sut: CxoneClient; tokens: CxoneTokenProvider } {
    const config = stubConfig(stub.url, cxone);
    const clock = new SystemClock();
    const redis = { client: null } as unknown as RedisService;
    metrics = new MetricsService();
    const tokens = new CxoneTokenProvider(config, clock, redis, http, metrics);
    const sut = new CxoneClient(config, clock, redis, metrics, tokens, http, {
      backoffBaseMs: 20,
      backoffMaxMs: 100,
      ...options,
    });
    return { sut, tokens };
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
    const { sut } = client();
    stub.script(PATH, { status: 503 }, { status: 503 });
    const res = await sut.request(get);
    expect(res.attempts).toBe(3);
    expect(stub.count(PATH)).toBe(3);
    expect(await callCount('queueStats', 'http_5xx')).toBe(2);
  });

  it('waits at least Retry-After on a 429 and halves the upstream rate', async () => {
    const { sut } = client({ maxRps: 20 });
    stub.script(PATH, { status: 429, headers: { 'retry-after': '1' } });
    const started = Date.now();
    const res = await sut.request(get);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(res.attempts).toBe(2);
    expect(sut.budget()).toMatchObject({ maxRps: 20, effectiveRps: 10 });
    expect(await callCount('queueStats', 'rate_limited')).toBe(1);
  });

  it('honours Retry-After given as an HTTP date', async () => {
    const { sut } = client();
    const at = new Date(Date.now() + 1500);
    at.setMilliseconds(0);
    stub.script(PATH, { status: 503, headers: { 'retry-after': at.toUTCString() } });
    await sut.request(get);
    expect(Date.now()).toBeGreaterThanOrEqual(at.getTime());
  });

  it('fails fast with retryAfterS when Retry-After outlasts the deadline', async () => {
    const { sut } = client({ deadlineMs: 2000 });
    stub.script(PATH, {
      status: 429,
      headers: { 'retry-after': '60' },
      body: { message: 'slow down' },
    });
    const started = Date.now();
    const err = await failure(sut.request(get));
    expect(Date.now() - started).toBeLessThan(500);
    expect(err).toMatchObject({ code: 'RATE_LIMITED', retryAfterS: 60 });
    expect(err.extensions).toEqual({ upstream: { status: 429, message: 'slow down' } });
  });

  it('maps 429s that outlive the attempts to RATE_LIMITED', async () => {
    const { sut } = client({ maxAttempts: 2 });
    stub.script(
      PATH,
      ...Array.from({ length: 2 }, () => ({ status: 429, headers: { 'retry-after': '0' } })),
    );
    const err = await failure(sut.request(get));
    expect(err.code).toBe('RATE_LIMITED');
    expect(stub.count(PATH)).toBe(2);
  });

  it('returns a 503-class error within the deadline in an outage, then sheds load', async () => {
    const { sut } = client({ deadlineMs: 1500, maxAttempts: 3 }, { breakerThreshold: 5 });
    stub.route(PATH, () => ({ status: 503, body: { message: 'down' } }));
    const started = Date.now();
    const err = await failure(sut.request(get));
    expect(Date.now() - started).toBeLessThan(1500);
    expect(err.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(err.message).toContain('HTTP 503: down');

    const errors: AppError[] = [];
    for (let i = 0; i < 30; i++) errors.push(await failure(sut.request(get)));
    expect(errors.filter((e) => e.code === 'CIRCUIT_OPEN').length).toBeGreaterThan(20);
    expect(stub.count(PATH)).toBeLessThan(10);
    expect(sut.circuits().reporting).toBe('open');
    expect(sut.circuits().analytics).toBe('closed');
    const open = errors.find((e) => e.code === 'CIRCUIT_OPEN');
    expect(open?.retryAfterS).toBeGreaterThanOrEqual(1);
    expect(await callCount('queueStats', 'circuit_open')).toBeGreaterThan(20);
  });

  it('lets one probe through when half-open and closes on success', async () => {
    const { sut } = client({ maxAttempts: 1 }, { breakerThreshold: 2, halfOpenAfterMs: 200 });
    stub.script(PATH, { status: 500 }, { status: 500 });
    await failure(sut.request(get));
    await failure(sut.request(get));
    expect(sut.circuits().reporting).toBe('open');
    await new Promise((r) => setTimeout(r, 250));
    stub.script(PATH, { delayMs: 100, body: { data: [] } });
    const before = stub.count(PATH);
    const results = await Promise.all(Array.from({ length: 5 }, () => sut.request(get)));
    expect(results).toHaveLength(5);
    // The probe went alone; the others waited for it and then ran with the circuit closed.
    expect(stub.count(PATH) - before).toBe(5);
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
    const { sut } = client({ timeoutMs: 150, deadlineMs: 2000, maxAttempts: 2 });
    stub.script(PATH, { hang: true }, { hang: true });
    const closedBefore = stub.closedSockets;
    const started = Date.now();
    const err = await failure(sut.request(get));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(err.code).toBe('UPSTREAM_TIMEOUT');
    expect(stub.count(PATH)).toBe(2);
    await new Promise((r) => setTimeout(r, 50));
    expect(stub.closedSockets - closedBefore).toBeGreaterThanOrEqual(2);
    expect(await callCount('queueStats', 'timeout')).toBe(2);
  });

  it('caps an attempt by the remaining deadline', async () => {
    const { sut } = client({ timeoutMs: 5000, deadlineMs: 300 });
    stub.script(PATH, { hang: true });
    const started = Date.now();
    const err = await failure(sut.request(get));
    expect(Date.now() - started).toBeLessThan(800);
    expect(err.code).toBe('UPSTREAM_TIMEOUT');
  });

  it('retries a reset connection for a GET', async () => {
    const { sut } = client();
    stub.script(PATH, { reset: true });
    const res = await sut.request(get);
    expect(res.attempts).toBe(2);
    expect(await callCount('queueStats', 'network')).toBe(1);
  });

  it('does not retry a non-idempotent POST on 503, but does when marked idempotent', async () => {
    const { sut } = client();
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
    const res = await sut.request({ ...post, idempotent: true });
    expect(res).toMatchObject({ status: 202, data: { id: 'job-1' }, attempts: 2 });
    expect(JSON.parse(stub.requests[stub.requests.length - 1].body)).toEqual({ a: 1 });
  });

  it('retries a POST on 429 (CXone did not process it)', async () => {
    const { sut } = client();
    const post: UpstreamRequest = {
      operation: 'analyticsQuery',
      method: 'POST',
      path: '/api/v2/analytics/summary/query',
      body: {},
    };
    stub.script(post.path, { status: 429, headers: { 'retry-after': '0' } });
    stub.route(post.path, () => ({ body: { data: [] } }));
    expect((await sut.request(post)).attempts).toBe(2);
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
    const { sut } = client({ clientSecret: 'wrong-secret-value' });
    const errs = await Promise.all(Array.from({ length: 10 }, () => failure(sut.request(get))));
    expect(errs.every((e) => e.code === 'UPSTREAM_AUTH_FAILED')).toBe(true);
    expect(stub.count('/oauth/token')).toBeLessThanOrEqual(2);
    expect(stub.count(PATH)).toBe(0);
  });

  it('makes one token request for 50 concurrent callers', async () => {
    const { sut } = client();
    await Promise.all(Array.from({ length: 50 }, () => sut.request(get)));
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

  it('stops when the caller cancels', async () => {
    const { sut } = client();
    const controller = new AbortController();
    stub.script(PATH, { delayMs: 500, body: {} });
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    await failure(sut.request({ ...get, signal: controller.signal }));
    expect(Date.now() - started).toBeLessThan(400);
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
