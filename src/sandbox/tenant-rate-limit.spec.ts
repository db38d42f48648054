import { startSandbox } from './sandbox.server';

describe('tenant rate limit (POST /_sandbox/rate-limit)', () => {
  let now = Date.parse('2026-01-15T12:00:00Z');
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let token: string;
  beforeAll(async () => {
    // Time stands still: the bucket refills only when a test moves it.
    sandbox = await startSandbox({ port: 0 }, () => now);
    const res = await fetch(`${sandbox.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=sandbox-client&client_secret=sandbox-secret',
    });
    token = ((await res.json()) as { access_token: string }).access_token;
  });
  afterAll(() => sandbox.close());

  const control = (method: string, body?: unknown) =>
    fetch(`${sandbox.url}/_sandbox/rate-limit`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const stats = () =>
    fetch(`${sandbox.url}/api/v2/reporting/queues/stats?granularity=REAL_TIME`, {
      headers: { authorization: `Bearer ${token}` },
    });

  it('lets a burst through, then answers 429 with Retry-After at once; the token route is exempt', async () => {
    expect((await control('POST', { rps: 0.5, burst: 3 })).status).toBe(200);
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 5; i++) {
      const res = await stats();
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
      await res.arrayBuffer();
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(retryAfter).toBe('2'); // one token at 0.5/s: 2 s, whole seconds
    const tokenRes = await fetch(`${sandbox.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=sandbox-client&client_secret=sandbox-secret',
    });
    expect(tokenRes.status).toBe(200);
    const view = (await (await control('GET')).json()) as { rateLimit: Record<string, number> };
    expect(view.rateLimit).toEqual({ rps: 0.5, burst: 3, admitted: 3, limited: 2 });
    now += 2000; // one token back
    expect((await stats()).status).toBe(200);
    expect((await stats()).status).toBe(429);
  });

  it('is off again after DELETE, and refuses a bad setting naming the field', async () => {
    await control('DELETE');
    for (let i = 0; i < 5; i++) expect((await stats()).status).toBe(200);
    const bad = await control('POST', { rps: 0 });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('rps');
  });
});
