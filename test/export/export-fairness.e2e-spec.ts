import Redis from 'ioredis';
import request from 'supertest';
import { ExportProcessor } from '../../src/export/export.processor';
import { startTestGateway, testRedisUrl, TEST_KEYS, type TestGateway } from '../utils/test-gateway';
import {
  createExport,
  eventually,
  FAST_SANDBOX,
  FINISHED,
  getExport,
  waitForExport,
  windowFiles,
} from './export-helpers';

const CAP = 6;
/** 30 upstream windows of one day (small windows keep the spec light). */
const MONTH = { start: '2023-01-01T00:00:00.000Z', end: '2023-01-31T00:00:00.000Z' };
const ONE_DAY = { start: '2024-03-01T00:00:00.000Z', end: '2024-03-02T00:00:00.000Z' };
const redisUrl = testRedisUrl(8);

const MODES = [
  { name: 'in process (memory mode)', redisUrl: undefined },
  { name: 'on BullMQ (Redis mode)', redisUrl },
];

/**
 * The starvation attack: key B fills its quota with month-long exports (180 upstream windows
 * against CXone's 3 job slots), then key A asks for one day. A's export must finish while every
 * one of B's is still running (slots go to the keys in turn; every accepted export has a
 * worker), B's next export is refused with 429 + Retry-After naming the cap, and cancelling B's
 * exports leaves none of their window files behind.
 */
describe.each(MODES)('Export fairness across API keys, $name (e2e)', (mode) => {
  const maybe = mode.name.includes('Redis') && !mode.redisUrl ? it.skip : it;
  let t: TestGateway;

  beforeAll(async () => {
    if (mode.redisUrl) {
      // The slot line lives in Redis: nothing from an earlier run may stand in it.
      const admin = new Redis(mode.redisUrl);
      await admin.flushdb();
      admin.disconnect();
    }
    t = await startTestGateway({
      sandbox: FAST_SANDBOX,
      env: {
        EXPORT_POLL_INTERVAL_MS: '50',
        EXPORT_WINDOW_DAYS: '1',
        EXPORT_MAX_PER_KEY: String(CAP),
        ...(mode.redisUrl ? { REDIS_URL: mode.redisUrl } : {}),
      },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  maybe(
    "finishes key A's 1-day export while key B's backlog runs, caps B, and cleans B's cancels",
    async () => {
      const backlog: string[] = [];
      for (let i = 0; i < CAP; i += 1) backlog.push(await createExport(t, MONTH, TEST_KEYS.all));
      await eventually(
        async () => (await getExport(t, backlog[0], TEST_KEYS.all)).progress.windowsDone > 0,
        "B's first window",
      );

      const refused = await request(t.url)
        .post('/v1/exports')
        .set(t.auth(TEST_KEYS.all))
        .send(ONE_DAY)
        .expect(429);
      expect(refused.headers['content-type']).toMatch(/problem\+json/);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(refused.body).toMatchObject({ limit: CAP, active: CAP });
      expect(refused.body.detail).toContain(`EXPORT_MAX_PER_KEY=${CAP}`);

      const small = await createExport(t, ONE_DAY, TEST_KEYS.other);
      const done = await waitForExportOf(t, small, TEST_KEYS.other);
      expect(done.status).toBe('completed');
      const behind = await Promise.all(backlog.map((id) => getExport(t, id, TEST_KEYS.all)));
      // Not one of B's exports finished first: A did not wait for B's backlog.
      expect(behind.map((b) => b.status).filter((s) => FINISHED.includes(s))).toEqual([]);

      for (const id of backlog) {
        const res = await request(t.url)
          .delete(`/v1/exports/${id}`)
          .set(t.auth(TEST_KEYS.all))
          .expect(200);
        expect(res.body.status).toBe('cancelled');
      }
      // Once no export is being worked on, none of B's window files is left.
      const processor = t.gateway.app.get(ExportProcessor);
      await eventually(() => processor.activeCount === 0, 'the workers to stop');
      for (const id of backlog) {
        expect((await getExport(t, id, TEST_KEYS.all)).expiredReason).toBe('cancelled');
        expect(windowFiles(t.dataDir, id)).toEqual([]);
      }
      // The quota is free again.
      const next = await createExport(t, ONE_DAY, TEST_KEYS.all);
      expect((await waitForExport(t, next)).status).toBe('completed');
    },
    60_000,
  );
});

function waitForExportOf(t: TestGateway, id: string, key: string) {
  return eventually(
    async () => FINISHED.includes((await getExport(t, id, key)).status),
    `export ${id}`,
    40_000,
  ).then(() => getExport(t, id, key));
}
