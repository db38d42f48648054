import request from 'supertest';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/sandbox.server';
import { SandboxControlClient } from '../../src/sandbox/sandbox-control.client';
import { incontactEnv } from '../reporting/incontact-helpers';
import { startTestGateway, type TestGateway } from '../utils/test-gateway';

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
