import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import request from 'supertest';
import { startTestGateway, TestGateway, TEST_KEYS, testRedisUrl } from '../utils/test-gateway';

const REDIS_DB = 5;

async function waitFor<T>(probe: () => T | undefined, timeoutMs = 3000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('audit (e2e, file store)', () => {
  let t: TestGateway;

  beforeAll(async () => {
    t = await startTestGateway();
  });
  afterAll(() => t.close());

  it('writes one record per call to the JSONL file with who, what, target and outcome', async () => {
    const agentId = t.sandbox.fixtures.agents.quiet;
    const ok = await request(t.url).get(`/v1/agents/${agentId}/state-history`).set(t.auth());
    const denied = await request(t.url).get('/v1/audit').set(t.auth(TEST_KEYS.reporting));
    expect(denied.status).toBe(403);
    const file = join(t.dataDir, 'audit', 'audit.jsonl');
    const records = await waitFor(() => {
      try {
        const lines = readFileSync(file, 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l));
        return lines.length >= 2 ? lines : undefined;
      } catch {
        return undefined;
      }
    });
    const history = records.find((r) => r.requestId === ok.headers['x-request-id']);
    expect(history).toMatchObject({
      actor: 'tester',
      method: 'GET',
      route: '/v1/agents/:agentId/state-history',
      targets: { agentId },
      status: ok.status,
      outcome: ok.status < 400 ? 'success' : 'client_error',
    });
    expect(history.latencyMs).toBeGreaterThan(0);
    const refused = records.find((r) => r.requestId === denied.headers['x-request-id']);
    expect(refused).toMatchObject({ actor: 'reporter', status: 403, outcome: 'denied' });
    expect(JSON.stringify(records)).not.toContain(TEST_KEYS.all);
  });

  it('serves records newest first with filters, and is itself audited', async () => {
    await request(t.url).get('/v1/audit?limit=1').set(t.auth(TEST_KEYS.other));
    const res = await request(t.url)
      .get('/v1/audit')
      .query({ actor: 'other', limit: 5 })
      .set(t.auth());
    expect(res.status).toBe(200);
    expect(res.body.records.length).toBeGreaterThanOrEqual(1);
    expect(res.body.records.every((r: { actor: string }) => r.actor === 'other')).toBe(true);
    const all = await request(t.url).get('/v1/audit?limit=50').set(t.auth());
    const times = all.body.records.map((r: { time: string }) => Date.parse(r.time));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const bad = await request(t.url).get('/v1/audit?limit=0&since=yesterday').set(t.auth());
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'limit',
      'since',
    ]);
  });
});

const redisUrl = testRedisUrl(REDIS_DB);
(redisUrl ? describe : describe.skip)('audit (e2e, Redis stream)', () => {
  let t: TestGateway;
  let redis: Redis;

  beforeAll(async () => {
    redis = new Redis(redisUrl as string);
    await redis.flushdb();
    t = await startTestGateway({ env: { REDIS_URL: redisUrl } });
  });
  afterAll(async () => {
    await t.close();
    await redis.quit();
  });

  it('appends records to the capped cxgw:audit stream and queries them back', async () => {
    const res = await request(t.url).get('/v1/audit').set(t.auth(TEST_KEYS.other));
    const entries = await waitForAsync(async () => {
      const e = await redis.xrange('cxgw:audit', '-', '+');
      return e.length ? e : undefined;
    });
    const stored = entries.map(([, fields]) => JSON.parse(fields[1]));
    expect(stored).toContainEqual(
      expect.objectContaining({ requestId: res.headers['x-request-id'], actor: 'other' }),
    );
    const query = await request(t.url).get('/v1/audit?actor=other').set(t.auth());
    expect(query.body.records[0].requestId).toBe(res.headers['x-request-id']);
  });
});

async function waitForAsync<T>(probe: () => Promise<T | undefined>, timeoutMs = 3000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
