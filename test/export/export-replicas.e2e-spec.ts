import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/sandbox.server';
import { SandboxControlClient } from '../../src/sandbox/sandbox-control.client';
import { startTestGateway, testRedisUrl, type TestGateway } from '../utils/test-gateway';
import { createExport, RANGE_45D, waitForExport } from './export-helpers';

const redisUrl = testRedisUrl(3);
const itRedis = redisUrl ? it : it.skip;

/**
 * Two replicas sharing Redis (BullMQ + creation lock), DATA_DIR and one CXone: exports requested
 * through both never push CXone past 3 active jobs, and every one completes with exact counts.
 */
describe('Exports on two replicas (e2e, Redis)', () => {
  let sandbox: SandboxHandle;
  let dataDir: string;
  const replicas: TestGateway[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, exportQueuedMs: 100, exportRunningMs: 300 });
    dataDir = mkdtempSync(join(tmpdir(), 'cxgw-export-replicas-'));
  });
  afterAll(async () => {
    for (const r of replicas) await r.close();
    await sandbox?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  itRedis(
    'six exports across two replicas stay within 3 active upstream jobs',
    async () => {
      const env = {
        DATA_DIR: dataDir,
        REDIS_URL: redisUrl,
        EXPORT_POLL_INTERVAL_MS: '50',
        // Six exports of one key: within its cap.
        EXPORT_MAX_PER_KEY: '6',
      };
      for (let i = 0; i < 2; i += 1) {
        replicas.push(await startTestGateway({ sharedSandbox: sandbox, env }));
      }
      const control = new SandboxControlClient(sandbox.url);
      await control.reset();
      const ids = await Promise.all(
        Array.from({ length: 6 }, (_, i) => createExport(replicas[i % 2])),
      );
      // Either replica answers for any export: the state is shared.
      const finals = await Promise.all(
        ids.map((id, i) => waitForExport(replicas[(i + 1) % 2], id, undefined, 60_000)),
      );
      const truth = await control.exportTruth(RANGE_45D.start, RANGE_45D.end);
      for (const f of finals) {
        expect(f.status).toBe('completed');
        expect(f.counts.valid).toBe(truth.uniqueValidIds);
      }
      const stats = await control.stats();
      expect(stats.activeExportsMax).toBeLessThanOrEqual(3);
      expect(stats.routes.exportCreate.calls).toBe(12);
    },
    90_000,
  );
});
