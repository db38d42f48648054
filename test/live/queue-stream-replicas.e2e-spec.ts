import Redis from 'ioredis';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SandboxControlClient } from '../../src/sandbox/sandbox-control.client';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/sandbox.server';
import {
  baseEnv,
  spawnProc,
  stopProc,
  waitForHttp,
  type Proc,
} from '../reliability/support/processes';
import { freePort } from '../utils/free-port';
import { testApiKeysEnv, testRedisUrl, TEST_KEYS } from '../utils/test-gateway';
import { setQueueFigures } from './live-helpers';
import { dataOf, SseClient } from './sse-client';

const REDIS_DB = 12;
const TTL_S = 1;
const PER_PROCESS = 100;
const ROUNDS = 4;
const ROOT = join(__dirname, '..', '..');
const itRedis = testRedisUrl(REDIS_DB) ? it : it.skip;

jest.setTimeout(120_000);

async function startGatewayProcess(name: string, sandbox: SandboxHandle, dataDir: string) {
  const port = await freePort();
  const proc = spawnProc(
    name,
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', 'src/main.ts'],
    {
      cwd: ROOT,
      env: {
        ...baseEnv(),
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        CXONE_DIALECT: 'v2',
        CXONE_API_BASE_URL: sandbox.url,
        CXONE_CLIENT_ID: sandbox.fixtures.credentials.clientId,
        CXONE_CLIENT_SECRET: sandbox.fixtures.credentials.clientSecret,
        API_KEYS: testApiKeysEnv(),
        REDIS_URL: testRedisUrl(REDIS_DB) as string,
        QUEUE_STATS_TTL_S: String(TTL_S),
        STREAM_MAX_PER_KEY: String(PER_PROCESS),
        DATA_DIR: dataDir,
      },
    },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/health/live`, { proc, timeoutMs: 60_000 });
  return { proc, url };
}

describe('queue stream across two gateway processes on one Redis (e2e)', () => {
  let sandbox: SandboxHandle;
  let procs: Proc[] = [];
  const clients: SseClient[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'cxgw-live-replicas-'));

  afterAll(async () => {
    for (const c of clients) c.close();
    await Promise.all(procs.map((p) => stopProc(p)));
    await sandbox?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  itRedis(
    'serves 200 subscribers with exactly one upstream poll per TTL, whichever replica they are on',
    async () => {
      const admin = new Redis(testRedisUrl(REDIS_DB) as string);
      await admin.flushdb();
      admin.disconnect();
      sandbox = await startSandbox({ port: 0 });
      const control = new SandboxControlClient(sandbox.url);
      const gateways = await Promise.all([
        startGatewayProcess('gateway-a', sandbox, join(dataDir, 'a')),
        startGatewayProcess('gateway-b', sandbox, join(dataDir, 'b')),
      ]);
      procs = gateways.map((g) => g.proc);

      for (const g of gateways) {
        const opened = await Promise.all(
          Array.from({ length: PER_PROCESS }, () =>
            SseClient.open(`${g.url}/v1/queues/stream`, {
              authorization: `Bearer ${TEST_KEYS.reporting}`,
            }),
          ),
        );
        clients.push(...opened);
      }
      expect(clients.map((c) => c.status)).toEqual(Array(2 * PER_PROCESS).fill(200));
      const snapshots = await Promise.all(clients.map((c) => c.next()));
      expect(new Set(snapshots.map((s) => s.event))).toEqual(new Set(['snapshot']));

      await control.resetStats();
      const started = Date.now();
      const target = sandbox.fixtures.queues[0];
      const updateIds: string[] = [];
      for (let round = 1; round <= ROUNDS; round++) {
        const waitTime = 100 + round;
        await setQueueFigures(sandbox.url, target.id, { waitTime });
        const seen = await Promise.all(
          clients.map((c) =>
            c.next(
              (e) => e.event === 'update' && dataOf(e).queues.some((q) => q.waitTime === waitTime),
            ),
          ),
        );
        // Every subscriber, on either replica, got the same event (same id) for this change.
        expect(new Set(seen.map((e) => e.id)).size).toBe(1);
        updateIds.push(seen[0].id as string);
      }
      const elapsedMs = Date.now() - started;

      const calls = (await control.stats()).routes.queueStats.calls;
      const times = (await control.requests('queueStats')).map((r) => Date.parse(r.at));
      const gaps = times.slice(1).map((at, i) => at - times[i]);
      // At least one poll per change, and never two polls within one TTL: one poller in all.
      expect(calls).toBeGreaterThanOrEqual(ROUNDS);
      expect(calls).toBeLessThanOrEqual(Math.floor(elapsedMs / (TTL_S * 1000)) + 1);
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(TTL_S * 1000 * 0.9);
      expect(updateIds.map(Number)).toEqual([...updateIds.map(Number)].sort((a, b) => a - b));
    },
  );
});
