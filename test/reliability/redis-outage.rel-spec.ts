import { SANDBOX_FIXTURES } from '../../src/sandbox/fixtures';
import { leaks, ResponseLog, secrets, send, type Answer } from './support/capture';
import { hasRedisServer, isRunning, sleep, stopAllProcs, stopProc } from './support/processes';
import {
  AUTH,
  startGatewayProc,
  startRedis,
  removeDataDirs,
  startSandboxProc,
  type GatewayProc,
  type RedisProc,
  type SandboxProc,
} from './support/stack';

const describeRedis = hasRedisServer() ? describe : describe.skip;
const LOOPS = 8;
const json = { ...AUTH, 'content-type': 'application/json' };
const week = { start: '2024-05-01T00:00:00Z', end: '2024-05-08T00:00:00Z' };

/** What a phase of traffic got back: status → count, and transport errors. */
interface Tally {
  statuses: Record<string, number>;
  errors: string[];
}

const REQUESTS: {
  path: string;
  method?: string;
  body?: string;
  headers: Record<string, string>;
}[] = [
  { path: '/v1/queues/stats', headers: AUTH },
  {
    path: '/v1/analytics/summary',
    method: 'POST',
    body: JSON.stringify({ metrics: ['handle_time'], dimensions: ['channel'], ...week }),
    headers: json,
  },
  { path: `/v1/agents/${SANDBOX_FIXTURES.agents.moderate}/state-history`, headers: AUTH },
  { path: '/v1/analytics/kpis', headers: AUTH },
];

/** LOOPS concurrent clients, each sending the next request as soon as the last one answered. */
class Traffic {
  private tally: Tally = { statuses: {}, errors: [] };
  private running = true;
  private readonly loops: Promise<void>[];

  constructor(
    private readonly url: string,
    private readonly log: ResponseLog,
  ) {
    this.loops = Array.from({ length: LOOPS }, (_, i) => this.loop(i));
  }

  /** Returns the tally so far and starts a new one. */
  take(): Tally {
    const current = this.tally;
    this.tally = { statuses: {}, errors: [] };
    return current;
  }

  async stop(): Promise<Tally> {
    this.running = false;
    await Promise.all(this.loops);
    return this.take();
  }

  private async loop(offset: number): Promise<void> {
    for (let i = offset; this.running; i++) {
      const r = REQUESTS[i % REQUESTS.length];
      try {
        const answer = await send(this.log, `${this.url}${r.path}`, {
          method: r.method,
          body: r.body,
          headers: r.headers,
          timeoutMs: 15000,
        });
        this.tally.statuses[answer.status] = (this.tally.statuses[answer.status] ?? 0) + 1;
      } catch (err) {
        if (this.tally.errors.length < 100)
          this.tally.errors.push(`${r.path}: ${(err as Error).message}`);
        await sleep(100);
      }
    }
  }
}

const total = (t: Tally): number => Object.values(t.statuses).reduce((a, b) => a + b, 0);
const non2xx = (t: Tally): number =>
  Object.entries(t.statuses)
    .filter(([s]) => !s.startsWith('2'))
    .reduce((a, [, n]) => a + n, 0);

async function readiness(gw: GatewayProc, log: ResponseLog) {
  return send(log, `${gw.url}/health/ready`, { timeoutMs: 5000 });
}

/** Polls readiness until `ok(status)`; the outage check accepts any non-200 and asserts later. */
async function waitForReadiness(
  gw: GatewayProc,
  log: ResponseLog,
  ok: (status: number) => boolean,
  ms: number,
) {
  const deadline = Date.now() + ms;
  for (;;) {
    const answer = await readiness(gw, log);
    if (ok(answer.status)) return answer;
    if (Date.now() > deadline) throw new Error(`readiness still ${answer.status}: ${answer.text}`);
    await sleep(200);
  }
}

describeRedis('Redis killed mid-run and restarted', () => {
  let redis: RedisProc;
  let sandbox: SandboxProc;
  let gw: GatewayProc;
  const log = new ResponseLog();

  beforeAll(async () => {
    redis = await startRedis();
    sandbox = await startSandboxProc();
    gw = await startGatewayProc({
      sandboxUrl: sandbox.url,
      env: { REDIS_URL: redis.url, QUEUE_STATS_TTL_S: '2' },
    });
    await waitForReadiness(gw, log, (s) => s === 200, 15000);
  }, 120_000);

  afterAll(async () => {
    await stopAllProcs();
    removeDataDirs();
  });

  it('keeps answering (cache fails open), reports the outage, and recovers without a restart', async () => {
    const traffic = new Traffic(gw.url, log);
    let before: Tally, during: Tally, after: Tally, down: Answer;
    try {
      await sleep(3000);
      before = traffic.take();

      await stopProc(redis.proc, 'SIGKILL');
      down = await waitForReadiness(gw, log, (s) => s !== 200, 10000);
      await sleep(5000);
      during = traffic.take();

      redis = await startRedis(redis.port);
      await waitForReadiness(gw, log, (s) => s === 200, 20000);
      await sleep(3000);
    } catch (err) {
      throw new Error(
        `${(err as Error).message}\ngateway log tail:\n${gw.proc.lines.slice(-15).join('\n')}`,
      );
    } finally {
      after = await traffic.stop();
    }
    for (const [phase, t] of Object.entries({ before, during, after })) {
      console.log(
        `[redis] ${phase}: ${total(t)} answered ${JSON.stringify(t.statuses)}, ${t.errors.length} errors`,
      );
    }
    expect(isRunning(gw.proc)).toBe(true);
    console.log(`[redis] readiness with Redis down: ${down!.status} ${down!.text.slice(0, 160)}`);
    for (const t of [before, during, after]) {
      expect(t.errors).toEqual([]);
      expect(total(t)).toBeGreaterThan(10);
      expect(non2xx(t)).toBe(0);
    }
    // Caching works again on the restarted (empty) Redis: the second identical read is a HIT.
    await send(log, `${gw.url}/v1/queues/stats`, { headers: AUTH });
    const cached = await send(log, `${gw.url}/v1/queues/stats`, { headers: AUTH });
    expect(cached.headers.get('x-cache')).toBe('HIT');
    // Readiness must say why: 503 naming Redis (not a generic 500).
    expect(down!.status).toBe(503);
    expect(down!.text).toMatch(/redis/i);
  }, 90_000);

  it('never logged or returned a secret', () => {
    const found = leaks([...gw.proc.lines, ...log.texts], secrets());
    console.log(
      `[redis] scanned ${gw.proc.lines.length} log lines and ${log.texts.length} responses`,
    );
    expect(found).toEqual([]);
  });
});
