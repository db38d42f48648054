import request from 'supertest';
import { startTestGateway, TestGateway, TEST_KEYS, testRedisUrl } from '../utils/test-gateway';

function suite(name: string, redisUrl: string | undefined): void {
  describe(name, () => {
    let t: TestGateway;
    let agent: string;
    let n = 0;
    const freshKey = () => `e2e-${name.replace(/\W/g, '')}-${Date.now()}-${++n}`;

    beforeAll(async () => {
      t = await startTestGateway({ env: { REDIS_URL: redisUrl } });
      agent = t.sandbox.fixtures.users.agent;
    });
    afterAll(() => t.close());
    beforeEach(async () => {
      await t.control.clearFaults();
      await t.control.resetStats();
    });

    const put = (body: object, key?: string, apiKey: string = TEST_KEYS.all) => {
      const req = request(t.url).put(`/v1/agents/${agent}/status`).set(t.auth(apiKey));
      if (key) void req.set('Idempotency-Key', key);
      return req.send(body);
    };
    const writes = async () => (await t.control.stats()).routes.userStatus.calls;

    it('replays the first result for the same key and body: one upstream write', async () => {
      const key = freshKey();
      const body = { status: 'Break', pauseReason: 'Skill Gap' };
      const first = await put(body, key);
      const second = await put(body, key);
      expect(first.status).toBe(200);
      expect(second.status).toBe(200);
      expect(second.body).toEqual(first.body);
      expect(first.headers['idempotency-replayed']).toBeUndefined();
      expect(second.headers['idempotency-replayed']).toBe('true');
      expect(await writes()).toBe(1);
    });

    it('422s the same key with a different body, without writing', async () => {
      const key = freshKey();
      expect((await put({ status: 'Busy' }, key)).status).toBe(200);
      const res = await put({ status: 'Offline' }, key);
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('IDEMPOTENCY_MISMATCH');
      expect(await writes()).toBe(1);
    });

    it('scopes keys per API key: another caller with the same key writes again', async () => {
      const key = freshKey();
      await put({ status: 'Busy' }, key);
      const other = await put({ status: 'Busy' }, key, TEST_KEYS.other);
      expect(other.status).toBe(200);
      expect(other.headers['idempotency-replayed']).toBeUndefined();
      expect(await writes()).toBe(2);
    });

    it('concurrent duplicates make one upstream write', async () => {
      const key = freshKey();
      await t.control.addFaults([{ route: 'userStatus', kind: 'latency', latencyMs: 300 }]);
      const results = await Promise.all([
        put({ status: 'Training' }, key),
        put({ status: 'Training' }, key),
      ]);
      expect(results.map((r) => r.status)).toEqual([200, 200]);
      expect(results.filter((r) => r.headers['idempotency-replayed'] === 'true')).toHaveLength(1);
      expect(await writes()).toBe(1);
    });

    it('never retries a write without a key: a 503 is one upstream call', async () => {
      await t.control.addFaults([{ route: 'userStatus', kind: 'status', status: 503, times: 1 }]);
      const res = await put({ status: 'Busy' });
      expect(res.status).toBe(503);
      expect(await writes()).toBe(1);
    });

    it('retries a write with a key through a 503', async () => {
      await t.control.addFaults([{ route: 'userStatus', kind: 'status', status: 503, times: 1 }]);
      const res = await put({ status: 'Busy' }, freshKey());
      expect(res.status).toBe(200);
      const stats = await t.control.stats();
      expect(stats.routes.userStatus.calls).toBe(2);
      expect(stats.routes.userStatus.byStatus).toMatchObject({ '503': 1, '200': 1 });
    });

    it('does not store failures: the same key succeeds once the cause is gone', async () => {
      const key = freshKey();
      await t.control.addFaults([{ route: 'userStatus', kind: 'status', status: 503, times: 10 }]);
      expect((await put({ status: 'Busy' }, key)).status).toBe(503);
      await t.control.clearFaults();
      const res = await put({ status: 'Busy' }, key);
      expect(res.status).toBe(200);
      expect(res.headers['idempotency-replayed']).toBeUndefined();
    });
  });
}

suite('idempotency keys (e2e, memory)', undefined);
const redisUrl = testRedisUrl(4);
if (redisUrl) suite('idempotency keys (e2e, Redis)', redisUrl);
else
  describe.skip('idempotency keys (e2e, Redis): REDIS_URL unset', () =>
    it('skipped', () => undefined));
