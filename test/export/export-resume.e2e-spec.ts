import Redis from 'ioredis';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExportLifecycle } from '../../src/export/export.lifecycle';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/sandbox.server';
import { SandboxControlClient } from '../../src/sandbox/sandbox-control.client';
import { startTestGateway, testRedisUrl, type TestGateway } from '../utils/test-gateway';
import {
  startWebhookReceiver,
  type WebhookReceiver,
} from '../../src/webhooks/webhook-receiver.fake';
import {
  createExport,
  fetchRecords,
  getExport,
  RANGE_45D,
  waitForExport,
  jsonRecords,
  type ExportBody,
} from './export-helpers';

const redisUrl = testRedisUrl(3);

/** The Redis variant really ran on BullMQ: the export queue's keys exist. */
async function expectBullMqUsed(url: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true });
  try {
    await client.connect();
    expect((await client.keys('bull:cxgw-exports:*')).length).toBeGreaterThan(0);
  } finally {
    client.disconnect();
  }
}

type Moment = 'while the first window is polled' | 'after the first window is committed';
const MOMENTS: [Moment, (b: ExportBody) => boolean][] = [
  ['while the first window is polled', (b) => b.windows[0].upstreamJobId !== null],
  [
    'after the first window is committed',
    (b) => b.windows[0].status === 'completed' && b.windows[1].upstreamJobId !== null,
  ],
];

/**
 * A gateway closed mid-export (graceful shutdown, as on SIGTERM) and started again on the same
 * DATA_DIR (and the same Redis/BullMQ in the Redis variant) finishes the export without a second
 * upstream job for any window and without duplicate records.
 */
describe.each([
  ['memory mode', undefined],
  ['Redis + BullMQ', redisUrl],
])('Export resume after restart, %s (e2e)', (_mode, redis) => {
  const maybe = _mode === 'memory mode' || redis ? it : it.skip;
  let sandbox: SandboxHandle;
  let control: SandboxControlClient;
  let receiver: WebhookReceiver;
  let dataDir: string;
  const gateways: TestGateway[] = [];

  beforeAll(async () => {
    // Slow enough upstream jobs that a restart lands in the middle of one.
    sandbox = await startSandbox({ port: 0, exportQueuedMs: 300, exportRunningMs: 700 });
    control = new SandboxControlClient(sandbox.url);
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await sandbox?.close();
    await receiver?.close();
  });
  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cxgw-export-resume-'));
    await control.reset();
  });
  afterEach(async () => {
    for (const g of gateways.splice(0)) await g.close().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  });

  function gateway(): Promise<TestGateway> {
    return startTestGateway({
      sharedSandbox: sandbox,
      env: {
        DATA_DIR: dataDir,
        REDIS_URL: redis,
        EXPORT_POLL_INTERVAL_MS: '50',
        WEBHOOK_ALLOWED_HOSTS: receiver.hostPort,
      },
    }).then((g) => (gateways.push(g), g));
  }

  maybe.each(MOMENTS)(
    'restarted %s, it finishes without a second upstream job',
    async (_m, moment) => {
      receiver.requests.length = 0;
      const a = await gateway();
      const id = await createExport(a, { ...RANGE_45D, webhookUrl: `${receiver.url}/hook` });
      await waitForExport(a, id, moment);
      await a.close();
      gateways.splice(gateways.indexOf(a), 1);
      const stopped = (await control.stats()).routes.exportCreate.calls;

      const b = await gateway();
      const before = await getExport(b, id);
      expect(['queued', 'running']).toContain(before.status);
      expect(await b.gateway.app.get(ExportLifecycle).resumed()).toContain(id);
      const final = await waitForExport(
        b,
        id,
        (x) => x.status === 'completed' && x.webhook.delivered,
        30_000,
      );

      const truth = await control.exportTruth(RANGE_45D.start, RANGE_45D.end);
      expect(final.counts).toEqual({
        received: truth.received,
        valid: truth.uniqueValidIds,
        duplicates: truth.duplicates,
        schemaErrors: truth.schemaInvalid,
      });
      const stats = await control.stats();
      expect(stats.routes.exportCreate.calls).toBe(2);
      expect(stopped).toBeGreaterThanOrEqual(1);
      const records = jsonRecords(await fetchRecords(b, id, 'json').expect(200));
      expect(records).toHaveLength(truth.uniqueValidIds);
      expect(new Set(records.map((r) => r.id)).size).toBe(records.length);
      await receiver.waitFor(1);
      expect(receiver.requests).toHaveLength(1);
      if (redis) await expectBullMqUsed(redis);
    },
    60_000,
  );

  maybe(
    'does not resend a delivered webhook after a restart',
    async () => {
      receiver.requests.length = 0;
      const a = await gateway();
      const id = await createExport(a, {
        start: '2024-01-01T00:00:00Z',
        end: '2024-01-03T00:00:00Z',
        webhookUrl: `${receiver.url}/hook`,
      });
      await waitForExport(a, id, (x) => x.webhook.delivered);
      await a.close();
      gateways.splice(gateways.indexOf(a), 1);
      const b = await gateway();
      // Only what b's start queued again is worked on (nothing else queues an old export), so
      // a delivered export left out of it is never sent again: no need to wait and watch.
      const resumed = await b.gateway.app.get(ExportLifecycle).resumed();
      expect(resumed).not.toContain(id);
      expect((await getExport(b, id)).status).toBe('completed');
      expect(receiver.requests).toHaveLength(1);
    },
    30_000,
  );
});
