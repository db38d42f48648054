import autocannon, { type AutocannonRequest, type AutocannonResult } from 'autocannon';
import { SANDBOX_FIXTURES } from '../../src/sandbox/fixtures';
import type { SandboxStatsSnapshot } from '../../src/sandbox/sandbox-control.client';
import { leaks, secrets, startTokenSniffer, type TokenSniffer } from './support/capture';
import { stopAllProcs } from './support/processes';
import {
  AUTH,
  startGatewayProc,
  removeDataDirs,
  startSandboxProc,
  type GatewayProc,
  type SandboxProc,
} from './support/stack';

/** Seconds per phase; 30 by default, RELIABILITY_LOAD_S=15 is enough in CI. */
const PHASE_S = Number(process.env.RELIABILITY_LOAD_S ?? 30);
const CONNECTIONS = 50;
/** Offered load, req/s: what two cores serve comfortably, ~20 % of it uncached. */
const RATE = Number(process.env.RELIABILITY_LOAD_RPS ?? 400);
const MAX_RPS = 200;
const MAX_ATTEMPTS = 4;

const json = { ...AUTH, 'content-type': 'application/json' };
const week = { start: '2024-05-01T00:00:00Z', end: '2024-05-08T00:00:00Z' };
const { moderate } = SANDBOX_FIXTURES.agents;

/** One dashboard-ish cycle per connection: mostly cached reads, some uncached, some bad input. */
const MIX: AutocannonRequest[] = [
  { method: 'GET', path: '/v1/queues/stats', headers: AUTH },
  {
    method: 'POST',
    path: '/v1/analytics/summary',
    headers: json,
    body: JSON.stringify({
      metrics: ['handle_time', 'talk_time'],
      dimensions: ['channel'],
      ...week,
    }),
  },
  {
    method: 'GET',
    path: `/v1/queues/stats?queueIds=${SANDBOX_FIXTURES.queues[0].id}`,
    headers: AUTH,
  },
  { method: 'GET', path: `/v1/agents/${moderate}/state-history`, headers: AUTH },
  { method: 'GET', path: '/v1/analytics/kpis', headers: AUTH },
  {
    method: 'POST',
    path: '/v1/analytics/summary',
    headers: json,
    body: JSON.stringify({ metrics: ['queue_time'], dimensions: ['date', 'skill'], ...week }),
  },
  { method: 'GET', path: '/health/live' },
  { method: 'GET', path: '/v1/exports/00000000-0000-4000-8000-000000000000', headers: AUTH },
  { method: 'POST', path: '/v1/analytics/summary', headers: json, body: '{"metrics":"nope"}' },
  { method: 'GET', path: '/v1/queues/stats', headers: { ...AUTH, 'cache-control': 'no-cache' } },
];

async function drive(url: string): Promise<AutocannonResult> {
  return await autocannon({
    url,
    connections: CONNECTIONS,
    duration: PHASE_S,
    overallRate: RATE,
    requests: MIX,
    timeout: 30,
  });
}

/** Samples /v1/upstream/status once a second; remembers which circuits were seen open. */
function watchCircuits(url: string): { stop(): Promise<string[]> } {
  const seen = new Set<string>();
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        const res = await fetch(`${url}/v1/upstream/status`, { headers: AUTH });
        const body = (await res.json()) as { circuits?: Record<string, string> };
        for (const [group, state] of Object.entries(body.circuits ?? {})) {
          if (state !== 'closed') seen.add(`${group}:${state}`);
        }
      } catch {
        // the next sample will tell
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return [...seen];
    },
  };
}

function upstreamTotals(stats: SandboxStatsSnapshot) {
  let calls = 0;
  let ok = 0;
  let failed503 = 0;
  for (const route of Object.values(stats.routes)) {
    calls += route.calls;
    failed503 += route.byStatus['503'] ?? 0;
    for (const [status, n] of Object.entries(route.byStatus)) if (status.startsWith('2')) ok += n;
  }
  return { calls, ok, failed503 };
}

function summary(result: AutocannonResult): string {
  const codes = Object.entries(result.statusCodeStats)
    .map(([code, { count }]) => `${code}×${count}`)
    .join(' ');
  return `${result.requests.total} answered of ${result.requests.sent} sent (${codes}); errors ${result.errors}, timeouts ${result.timeouts}, p99 ${result.latency.p99} ms`;
}

describe('load: mixed traffic at 50 connections', () => {
  let sandbox: SandboxProc;
  let sniffer: TokenSniffer;
  let gw: GatewayProc;

  beforeAll(async () => {
    sandbox = await startSandboxProc();
    sniffer = await startTokenSniffer(sandbox.url);
    gw = await startGatewayProc({
      sandboxUrl: sniffer.url,
      env: {
        CXONE_MAX_RPS: String(MAX_RPS),
        CXONE_MAX_CONCURRENCY: '16',
        CXONE_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      },
    });
  }, 120_000);

  afterAll(async () => {
    await stopAllProcs();
    await sniffer?.close();
    removeDataDirs();
  });

  it(
    `serves ${PHASE_S} s of mixed traffic without a 5xx while the sandbox is healthy`,
    async () => {
      await sandbox.control.resetStats();
      const result = await drive(gw.url);
      const up = upstreamTotals(await sandbox.control.stats());
      console.log(`[load] healthy: ${summary(result)}; upstream ${up.calls} calls`);
      expect(result.requests.total).toBeGreaterThan(PHASE_S * RATE * 0.5);
      expect(result['5xx']).toBe(0);
      expect(result.errors).toBe(0);
      expect(result.timeouts).toBe(0);
    },
    (PHASE_S + 60) * 1000,
  );

  it(
    'keeps errors bounded and upstream attempts within the retry budget under 20 % sandbox 503s',
    async () => {
      await sandbox.control.resetStats();
      await sandbox.control.addFaults([
        { route: '*', kind: 'status', status: 503, probability: 0.2 },
      ]);
      const circuits = watchCircuits(gw.url);
      const result = await drive(gw.url);
      const opened = await circuits.stop();
      await sandbox.control.clearFaults();
      const up = upstreamTotals(await sandbox.control.stats());
      console.log(
        `[load] 20 % 503s: ${summary(result)}; upstream ${up.calls} calls, ${up.ok} ok, ` +
          `${up.failed503} 503; circuits seen not closed: ${opened.join(', ') || 'none'}`,
      );
      const answered = result.requests.total;
      expect(result.errors).toBe(0);
      expect(result.timeouts).toBe(0);
      // A read fails only after MAX_ATTEMPTS straight 503s (0.2^4): a few per mille at most.
      expect(result['5xx']).toBeLessThanOrEqual(Math.max(5, answered * 0.02));
      // The rate budget holds under retries (a burst of MAX_RPS on top) ...
      expect(up.calls).toBeLessThanOrEqual(MAX_RPS * (PHASE_S + 2));
      // ... and no logical call used more than MAX_ATTEMPTS attempts.
      expect(up.calls).toBeLessThanOrEqual(MAX_ATTEMPTS * (up.ok + result['5xx']) + 10);
      expect(up.failed503).toBeGreaterThan(0);
    },
    (PHASE_S + 60) * 1000,
  );

  it('never logged or returned a secret', () => {
    const found = leaks(gw.proc.lines, secrets([...sniffer.tokens]));
    console.log(
      `[load] scanned ${gw.proc.lines.length} log lines for ${sniffer.tokens.size + 5} secrets`,
    );
    expect(sniffer.tokens.size).toBeGreaterThan(0);
    expect(found).toEqual([]);
  });
});
