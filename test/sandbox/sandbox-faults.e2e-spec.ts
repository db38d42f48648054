import { request as httpRequest } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { FakeClock } from '../../src/common/clock/fake-clock.fake';
import { startSandbox } from '../../src/sandbox/sandbox.server';
import { startSandboxUnderTest, type SandboxUnderTest } from './sandbox-http.helpers';

// The sandboxes here read this clock: token lifetimes, export progress and Retry-After dates
// move when a spec steps it, never by waiting.
const clock = new FakeClock();
const now = (): number => clock.now();

const window = { dateFrom: '2024-02-01T00:00:00.000Z', dateTo: '2024-02-03T00:00:00.000Z' };

async function completedExport(
  sut: SandboxUnderTest,
  compression: string | null = 'gzip',
): Promise<string> {
  const created = await sut.send('POST', '/api/v2/analytics/exports', {
    query: window,
    format: 'json',
    compression,
  });
  const { id } = await created.json();
  await clock.advance(30);
  return id;
}

/** A raw GET, so Content-Encoding is not undone for us and a cut connection is visible. */
function rawGet(
  url: string,
  token: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { Authorization: `Bearer ${token}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('CXone sandbox: tokens and faults', () => {
  let sut: SandboxUnderTest;
  const queueStats = { granularity: 'REAL_TIME' };

  beforeAll(async () => {
    sut = await startSandboxUnderTest(
      {
        tokenTtlS: 1,
        exportQueuedMs: 0,
        exportRunningMs: 10,
        exportEventsPerDay: 500,
      },
      now,
    );
  });
  afterAll(() => sut.sandbox.close());
  beforeEach(() => sut.reset());

  it('starts well under 300 ms of CPU', async () => {
    // CPU time, not wall time: what starting costs, whatever else the machine is doing.
    const before = process.cpuUsage();
    const other = await startSandbox({ port: 0 });
    const used = process.cpuUsage(before);
    expect((used.user + used.system) / 1000).toBeLessThan(300);
    await other.close();
  });

  it('expires tokens after expires_in, and on demand', async () => {
    const token = await sut.token();
    const call = (): Promise<Response> =>
      fetch(`${sut.sandbox.url}/api/v2/reporting/queues/stats?granularity=REAL_TIME`, {
        headers: { Authorization: `Bearer ${token}` },
      });
    expect((await call()).status).toBe(200);
    await clock.advance(999);
    expect((await call()).status).toBe(200);
    await clock.advance(1);
    expect((await call()).status).toBe(401);
    const fresh = await sut.token();
    await sut.control.expireTokens();
    const response = await fetch(
      `${sut.sandbox.url}/api/v2/users/${sut.sandbox.fixtures.users.agent}`,
      {
        headers: { Authorization: `Bearer ${fresh}` },
      },
    );
    expect(response.status).toBe(401);
    expect((await sut.control.stats()).tokensIssued).toBe(2);
  });

  it('rate-limits the next N calls with Retry-After in seconds', async () => {
    await sut.control.addFaults([
      { route: 'queueStats', kind: 'rateLimit', times: 2, retryAfterS: 3 },
    ]);
    const first = await sut.get('/api/v2/reporting/queues/stats', queueStats);
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('3');
    expect((await sut.get('/api/v2/reporting/queues/stats', queueStats)).status).toBe(429);
    expect((await sut.get('/api/v2/reporting/queues/stats', queueStats)).status).toBe(200);
    expect((await sut.control.stats()).routes.queueStats).toEqual({
      calls: 3,
      byStatus: { '429': 2, '200': 1 },
    });
  });

  it('sends Retry-After as an HTTP date when asked', async () => {
    await sut.control.addFaults([
      { route: 'userGet', kind: 'rateLimit', retryAfterS: 2, retryAfterDate: true, times: 1 },
    ]);
    const response = await sut.get(`/api/v2/users/${sut.sandbox.fixtures.users.agent}`);
    expect(response.status).toBe(429);
    const at = Date.parse(response.headers.get('retry-after') ?? '');
    expect(at - clock.now()).toBeGreaterThan(1000);
    expect(at - clock.now()).toBeLessThanOrEqual(3000);
  });

  it('answers scripted statuses (default 503) and counts them', async () => {
    await sut.control.addFaults([
      { route: 'userGet', kind: 'status', times: 1 },
      { route: 'userGet', kind: 'status', status: 500, times: 1 },
    ]);
    const path = `/api/v2/users/${sut.sandbox.fixtures.users.agent}`;
    expect((await sut.get(path)).status).toBe(503);
    expect((await sut.get(path)).status).toBe(500);
    expect((await sut.get(path)).status).toBe(200);
    expect((await sut.control.stats()).routes.userGet.byStatus).toEqual({
      '503': 1,
      '500': 1,
      '200': 1,
    });
  });

  it('applies faults to the token route too', async () => {
    await sut.control.addFaults([{ route: 'token', kind: 'status', status: 502, times: 1 }]);
    const response = await fetch(`${sut.sandbox.url}/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=sandbox-client&client_secret=sandbox-secret',
    });
    expect(response.status).toBe(502);
    expect((await sut.control.stats()).routes.token.byStatus).toEqual({ '502': 1 });
  });

  it('adds latency', async () => {
    await sut.control.addFaults([{ route: 'userGet', kind: 'latency', latencyMs: 200, times: 1 }]);
    const t0 = Date.now();
    expect((await sut.get(`/api/v2/users/${sut.sandbox.fixtures.users.agent}`)).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
  });

  it('hangs a call (counted as status 0) until the client gives up', async () => {
    await sut.control.addFaults([{ route: 'queueStats', kind: 'hang', times: 1 }]);
    const token = await sut.token();
    const attempt = fetch(
      `${sut.sandbox.url}/api/v2/reporting/queues/stats?granularity=REAL_TIME`,
      {
        headers: { Authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(300),
      },
    );
    await expect(attempt).rejects.toThrow();
    expect((await sut.control.stats()).routes.queueStats).toEqual({
      calls: 1,
      byStatus: { '0': 1 },
    });
  });

  it('resets the connection', async () => {
    await sut.control.addFaults([{ route: 'userGet', kind: 'reset', times: 1 }]);
    await expect(sut.get(`/api/v2/users/${sut.sandbox.fixtures.users.agent}`)).rejects.toThrow();
    expect((await sut.get(`/api/v2/users/${sut.sandbox.fixtures.users.agent}`)).status).toBe(200);
    expect((await sut.control.stats()).routes.userGet.byStatus).toEqual({ '0': 1, '200': 1 });
  });

  it('returns malformed JSON from a JSON route', async () => {
    await sut.control.addFaults([{ route: 'queueStats', kind: 'malformedJson', times: 1 }]);
    const response = await sut.get('/api/v2/reporting/queues/stats', queueStats);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(() => JSON.parse(text)).toThrow();
  });

  it('fails the next created job with an errorMessage', async () => {
    await sut.control.addFaults([{ route: 'exportCreate', kind: 'failJob', times: 1 }]);
    const failed = await completedExport(sut);
    const ok = await completedExport(sut);
    const status = await (await sut.get(`/api/v2/analytics/exports/${failed}`)).json();
    expect(status).toMatchObject({ status: 'failed', errorMessage: expect.any(String) });
    expect((await (await sut.get(`/api/v2/analytics/exports/${ok}`)).json()).status).toBe(
      'completed',
    );
    expect((await sut.get(`/api/v2/analytics/exports/${failed}/download`)).status).toBe(409);
  });

  it('truncates a gzip download mid-way', async () => {
    await sut.control.addFaults([{ route: 'exportDownload', kind: 'truncatedGzip', times: 1 }]);
    const id = await completedExport(sut);
    const cut = await rawGet(
      `${sut.sandbox.url}/api/v2/analytics/exports/${id}/download`,
      await sut.token(),
    );
    expect(cut.status).toBe(200);
    expect(() => gunzipSync(cut.body)).toThrow(/unexpected end of file/);
    const whole = await rawGet(
      `${sut.sandbox.url}/api/v2/analytics/exports/${id}/download`,
      await sut.token(),
    );
    expect(JSON.parse(gunzipSync(whole.body).toString()).length).toBeGreaterThan(1000);
    expect(cut.body.length).toBeLessThan(whole.body.length * 0.7);
  });

  it('gzips a body that is not valid JSON', async () => {
    await sut.control.addFaults([{ route: 'exportDownload', kind: 'malformedJson', times: 1 }]);
    const id = await completedExport(sut);
    const response = await rawGet(
      `${sut.sandbox.url}/api/v2/analytics/exports/${id}/download`,
      await sut.token(),
    );
    const text = gunzipSync(response.body).toString();
    expect(() => JSON.parse(text)).toThrow();
  });

  it('serves plain JSON when the job asked for no compression', async () => {
    const id = await completedExport(sut, null);
    const response = await rawGet(
      `${sut.sandbox.url}/api/v2/analytics/exports/${id}/download`,
      await sut.token(),
    );
    expect(response.headers['content-type']).toBe('application/json');
    expect(JSON.parse(response.body.toString()).length).toBeGreaterThan(1000);
  });

  it('draws probabilistic faults reproducibly from the seed', async () => {
    const run = async (): Promise<number[]> => {
      await sut.reset();
      await sut.control.addFaults([{ route: 'userGet', kind: 'status', probability: 0.5 }]);
      const statuses: number[] = [];
      for (let i = 0; i < 20; i += 1)
        statuses.push((await sut.get(`/api/v2/users/${sut.sandbox.fixtures.users.agent}`)).status);
      return statuses;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(new Set(first)).toEqual(new Set([200, 503]));
  });

  it('clears faults and rejects invalid ones', async () => {
    await sut.control.addFaults([{ route: '*', kind: 'status' }]);
    await sut.control.clearFaults();
    expect((await sut.get('/api/v2/reporting/queues/stats', queueStats)).status).toBe(200);
    await expect(
      sut.control.addFaults([{ route: 'nope', kind: 'status' } as never]),
    ).rejects.toThrow(/400/);
  });
});

describe('CXone sandbox: gzip modes and configured faults', () => {
  it('announces gzip through Content-Encoding when configured', async () => {
    const sut = await startSandboxUnderTest(
      { exportQueuedMs: 0, exportRunningMs: 0, exportGzipMode: 'content-encoding' },
      now,
    );
    try {
      const id = await completedExport(sut);
      const response = await rawGet(
        `${sut.sandbox.url}/api/v2/analytics/exports/${id}/download`,
        await sut.token(),
      );
      expect(response.headers['content-type']).toBe('application/json');
      expect(response.headers['content-encoding']).toBe('gzip');
      expect(Array.isArray(JSON.parse(gunzipSync(response.body).toString()))).toBe(true);
    } finally {
      await sut.sandbox.close();
    }
  });

  it('applies faults from options and restores them on reset', async () => {
    const sut = await startSandboxUnderTest({
      faults: [{ route: 'queueStats', kind: 'status', status: 500, times: 1 }],
    });
    try {
      expect(
        (await sut.get('/api/v2/reporting/queues/stats', { granularity: 'REAL_TIME' })).status,
      ).toBe(500);
      expect(
        (await sut.get('/api/v2/reporting/queues/stats', { granularity: 'REAL_TIME' })).status,
      ).toBe(200);
      await sut.reset();
      expect(
        (await sut.get('/api/v2/reporting/queues/stats', { granularity: 'REAL_TIME' })).status,
      ).toBe(500);
    } finally {
      await sut.sandbox.close();
    }
  });

  it('adds global latency and closes while a call hangs', async () => {
    const sut = await startSandboxUnderTest({
      latencyMs: 100,
      faults: [{ route: 'userGet', kind: 'hang' }],
    });
    const t0 = Date.now();
    expect(
      (await sut.get('/api/v2/reporting/queues/stats', { granularity: 'REAL_TIME' })).status,
    ).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(90);
    const hung = sut
      .get(`/api/v2/users/${sut.sandbox.fixtures.users.agent}`)
      .catch((e: unknown) => e);
    // Event wait: the sandbox has taken the call (counted before its latency and hang).
    while ((await sut.control.stats()).routes.userGet.calls < 1) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    await sut.sandbox.close();
    // fetch rejects with a TypeError from Node's realm, not Jest's: compare by message.
    expect(String(await hung)).toMatch(/fetch failed/);
  });
});
