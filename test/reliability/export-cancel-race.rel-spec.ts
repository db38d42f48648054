import Redis from 'ioredis';
import { ResponseLog, send } from './support/capture';
import { hasRedisServer, sleep, stopAllProcs } from './support/processes';
import { HoldGate, RedisHoldProxy, type RedisCommand } from './support/redis-hold-proxy';
import {
  AUTH,
  newDataDir,
  removeDataDirs,
  startGatewayProc,
  startRedis,
  startSandboxProc,
  type GatewayProc,
  type RedisProc,
  type SandboxProc,
} from './support/stack';

const describeRedis = hasRedisServer() ? describe : describe.skip;
const RANGE = { start: '2024-01-01T00:00:00.000Z', end: '2024-01-03T00:00:00.000Z' };

/** A compare-and-set of an export's state (the only way the job store writes in Redis mode). */
function isStateWrite(id?: string) {
  return (c: RedisCommand): boolean =>
    (c.name === 'eval' || c.name === 'evalsha') &&
    c.args.some((a) => /^cxgw:export:[^:]+:job:/.test(a) && (!id || a.endsWith(`:job:${id}`)));
}

/**
 * Two gateway processes on one Redis (and one DATA_DIR), each through its own proxy that can
 * hold a command. The proxy stops a replica exactly between reading an export's state and
 * writing it back, so the cancel from the other replica lands inside that window every time,
 * not by luck of timing.
 */
describeRedis(
  'Export cancel racing the worker on another replica (two processes, one Redis)',
  () => {
    let redis: RedisProc;
    let sandbox: SandboxProc;
    let client: Redis;
    const proxies: RedisHoldProxy[] = [];
    const gateways: GatewayProc[] = [];
    const log = new ResponseLog();

    beforeAll(async () => {
      redis = await startRedis();
      sandbox = await startSandboxProc();
      client = new Redis(redis.url);
      for (let i = 0; i < 2; i += 1) proxies.push(await RedisHoldProxy.start(redis.port));
      const dataDir = newDataDir();
      gateways.push(
        ...(await Promise.all(
          proxies.map((p) =>
            startGatewayProc({ sandboxUrl: sandbox.url, dataDir, env: { REDIS_URL: p.url } }),
          ),
        )),
      );
    }, 180_000);

    afterAll(async () => {
      client?.disconnect();
      await stopAllProcs();
      for (const p of proxies) await p.close();
      removeDataDirs();
    });

    beforeEach(() => sandbox.control.reset());

    async function createExport(): Promise<string> {
      const answer = await send(log, `${gateways[0].url}/v1/exports`, {
        method: 'POST',
        headers: { ...AUTH, 'content-type': 'application/json' },
        body: JSON.stringify(RANGE),
      });
      expect(answer.status).toBe(202);
      return (answer.json as { id: string }).id;
    }

    function cancel(gateway: GatewayProc, id: string) {
      return send(log, `${gateway.url}/v1/exports/${id}`, { method: 'DELETE', headers: AUTH });
    }

    /** The export's state as stored in Redis: its revision and status. */
    async function stored(id: string): Promise<{ revision: number; status: string }> {
      const [key] = await client.keys(`cxgw:export:*:job:${id}`);
      const [revision, state] = await client.hmget(key, 'revision', 'state');
      return {
        revision: Number(revision),
        status: (JSON.parse(state ?? '{}') as { status: string }).status,
      };
    }

    /** Resolves once the BullMQ job of `id` has ended (completed jobs are removed). */
    async function workerDone(id: string): Promise<void> {
      while ((await client.exists(`bull:cxgw-exports:${id}`)) === 1) await sleep(50);
    }

    /** The proxy's replica index and the other one. */
    function roles(proxy: RedisHoldProxy): { worker: number; other: number } {
      const worker = proxies.indexOf(proxy);
      return { worker, other: 1 - worker };
    }

    it('a worker write that lost to the cancel yields: the export stays cancelled', async () => {
      const workerWrite = new HoldGate(isStateWrite());
      for (const p of proxies) p.arm(workerWrite);
      const id = await createExport();
      // Whichever replica's worker took the job has read `queued` and wants to write `running`.
      const held = await workerWrite.held;
      const { worker, other } = roles(held.proxy);

      const answer = await cancel(gateways[other], id);
      expect(answer.status).toBe(200);
      expect(await stored(id)).toEqual({ revision: 2, status: 'cancelled' });

      held.release();
      await workerDone(id);
      // The held write named revision 1 and was refused; re-applied to the cancelled state, it
      // yielded, and the worker stopped without writing anything else or touching CXone.
      expect(await stored(id)).toEqual({ revision: 2, status: 'cancelled' });
      expect(proxies[worker].count(isStateWrite(id))).toBe(1);
      const seen = await send(log, `${gateways[worker].url}/v1/exports/${id}`, { headers: AUTH });
      expect((seen.json as { status: string }).status).toBe('cancelled');
      expect((await sandbox.control.stats()).routes.exportCreate.calls).toBe(0);
    }, 60_000);

    it('a cancel that lost to the worker write is re-applied on top of it', async () => {
      const firstWrite = new HoldGate(isStateWrite());
      for (const p of proxies) p.arm(firstWrite);
      const id = await createExport();
      const workerHeld = await firstWrite.held;
      const { worker, other } = roles(workerHeld.proxy);

      // The cancel reads revision 1 too; its write waits behind the worker's.
      const cancelWrite = new HoldGate(isStateWrite(id));
      proxies[other].arm(cancelWrite);
      const cancelling = cancel(gateways[other], id);
      const cancelHeld = await cancelWrite.held;

      // The worker's write lands (revision 2, running); its next write is held in turn.
      const secondWrite = new HoldGate(isStateWrite(id));
      proxies[worker].arm(secondWrite);
      workerHeld.release();
      const workerHeldAgain = await secondWrite.held;
      expect(await stored(id)).toEqual({ revision: 2, status: 'running' });

      cancelHeld.release();
      const answer = await cancelling;
      expect(answer.status).toBe(200);
      expect((answer.json as { status: string }).status).toBe('cancelled');
      // Refused once (it named revision 1), then re-applied to revision 2.
      expect(proxies[other].count(isStateWrite(id))).toBe(2);
      expect(await stored(id)).toEqual({ revision: 3, status: 'cancelled' });

      workerHeldAgain.release();
      await workerDone(id);
      expect(await stored(id)).toEqual({ revision: 3, status: 'cancelled' });
      expect((await sandbox.control.stats()).routes.exportCreate.calls).toBe(0);
    }, 60_000);
  },
);
