import {
  startWebhookReceiver,
  type WebhookReceiver,
} from '../../src/webhooks/webhook-receiver.fake';
import { leaks, ResponseLog, secrets, send } from './support/capture';
import { hasRedisServer, isRunning, sleep, stopAllProcs, stopProc } from './support/processes';
import {
  AUTH,
  newDataDir,
  startGatewayProc,
  startRedis,
  removeDataDirs,
  startSandboxProc,
  type GatewayProc,
  type RedisProc,
  type SandboxProc,
} from './support/stack';

const describeRedis = hasRedisServer() ? describe : describe.skip;
/** 74 days = three upstream windows (30 + 30 + 14), processed one at a time. */
const START = '2024-01-01T00:00:00.000Z';
const END = '2024-03-15T00:00:00.000Z';
const WINDOWS = 3;

interface ExportView {
  id: string;
  status: string;
  progress: { windowsTotal: number; windowsDone: number };
  counts: { received: number; valid: number; duplicates: number; schemaErrors: number };
  windows: { upstreamJobId: string | null; status: string }[];
  webhook: { attempts: number; delivered: boolean };
}

describeRedis('SIGTERM and SIGKILL of the gateway during an export, then restart', () => {
  let redis: RedisProc;
  let sandbox: SandboxProc;
  let receiver: WebhookReceiver;
  const dataDir = newDataDir();
  const log = new ResponseLog();
  const gatewayLogs: string[] = [];
  let gw: GatewayProc;

  async function startGateway(port?: number): Promise<GatewayProc> {
    if (gw) gatewayLogs.push(...gw.proc.lines);
    gw = await startGatewayProc({
      sandboxUrl: sandbox.url,
      dataDir,
      port,
      env: {
        REDIS_URL: redis.url,
        WEBHOOK_ALLOWED_HOSTS: receiver.hostPort,
        EXPORT_MAX_ACTIVE_JOBS: '1',
        EXPORT_POLL_INTERVAL_MS: '200',
      },
    });
    return gw;
  }

  async function view(id: string): Promise<ExportView> {
    const answer = await send(log, `${gw.url}/v1/exports/${id}`, { headers: AUTH }).catch(
      (err: Error) => {
        // A refused connection means the gateway died: its last lines say why.
        const state = isRunning(gw.proc)
          ? 'running'
          : `exited ${gw.proc.child.exitCode ?? gw.proc.child.signalCode}`;
        throw new Error(
          `GET export failed (${err.message}); gateway ${state}:\n${gw.proc.lines.slice(-40).join('\n')}`,
        );
      },
    );
    if (answer.status !== 200) throw new Error(`GET export → ${answer.status} ${answer.text}`);
    return answer.json as ExportView;
  }

  /** Polls until `done(view)`; gives the last view in the error otherwise. */
  async function waitFor(id: string, done: (v: ExportView) => boolean, ms: number) {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = await view(id);
      if (done(v)) return v;
      if (Date.now() > deadline) throw new Error(`export did not get there: ${JSON.stringify(v)}`);
      await sleep(100);
    }
  }

  beforeAll(async () => {
    redis = await startRedis();
    sandbox = await startSandboxProc({
      SANDBOX_EXPORT_EVENTS_PER_DAY: '600',
      SANDBOX_EXPORT_QUEUED_MS: '500',
      SANDBOX_EXPORT_RUNNING_MS: '3000',
    });
    receiver = await startWebhookReceiver();
    await startGateway();
  }, 120_000);

  afterAll(async () => {
    await stopAllProcs();
    await receiver?.close();
    removeDataDirs();
  });

  it('completes with one upstream job per window, no duplicate record and one webhook', async () => {
    const created = await send(log, `${gw.url}/v1/exports`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({ start: START, end: END, webhookUrl: `${receiver.url}/hooks/export` }),
    });
    expect(created.status).toBe(202);
    const { id } = created.json as { id: string };
    const port = gw.port;

    // 1. SIGTERM while the first upstream job runs: a graceful stop, then a restart.
    await waitFor(id, (v) => v.windows.some((w) => w.upstreamJobId !== null), 30000);
    const termStarted = Date.now();
    await stopProc(gw.proc, 'SIGTERM');
    const termMs = Date.now() - termStarted;
    await startGateway(port);

    // 2. SIGKILL once the second window's job exists: no goodbye at all, then a restart.
    await waitFor(id, (v) => v.windows.filter((w) => w.upstreamJobId !== null).length >= 2, 60000);
    await stopProc(gw.proc, 'SIGKILL');
    await startGateway(port);

    // Delivered and saved as delivered: the one process left never sends it again (a restart
    // would not either), so the count of deliveries is final once the view says so.
    const done = await waitFor(id, (v) => v.webhook.delivered, 120000);
    await receiver.waitFor(1, 30000);

    const stats = await sandbox.control.stats();
    const truth = await sandbox.control.exportTruth(START, END, 30);
    const records = await send(log, `${gw.url}/v1/exports/${id}/records?format=ndjson`, {
      headers: AUTH,
      timeoutMs: 60000,
    });
    const lines = records.text.split('\n').filter(Boolean);
    const ids = new Set(lines.map((l) => (JSON.parse(l) as { id: string }).id));
    console.log(
      `[export] SIGTERM exit in ${termMs} ms; ${done.status}; counts ${JSON.stringify(done.counts)}; ` +
        `truth valid ${truth.uniqueValidIds} dups ${truth.duplicates} invalid ${truth.schemaInvalid}; ` +
        `exportCreate ${JSON.stringify(stats.routes.exportCreate.byStatus)}; ` +
        `records ${lines.length} lines / ${ids.size} ids; webhooks ${receiver.requests.length}`,
    );

    expect(done.status).toBe('completed');
    expect(done.progress.windowsDone).toBe(WINDOWS);
    expect(stats.routes.exportCreate.byStatus['202'] ?? 0).toBe(WINDOWS);
    expect(new Set(done.windows.map((w) => w.upstreamJobId)).size).toBe(WINDOWS);
    expect(done.counts.valid).toBe(truth.uniqueValidIds);
    expect(done.counts.duplicates).toBe(truth.duplicates);
    expect(done.counts.schemaErrors).toBe(truth.schemaInvalid);
    expect(lines.length).toBe(done.counts.valid);
    expect(ids.size).toBe(lines.length);
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0].body).toContain(id);
    expect(termMs).toBeLessThan(15000);
  }, 240_000);

  it('never logged or returned a secret', () => {
    const lines = [...gatewayLogs, ...gw.proc.lines];
    const webhookBodies = receiver.requests.map((r) => `${JSON.stringify(r.headers)}\n${r.body}`);
    const found = leaks([...lines, ...log.texts, ...webhookBodies], secrets());
    console.log(`[export] scanned ${lines.length} log lines, ${log.texts.length} responses`);
    expect(found).toEqual([]);
  });
});
