import { call, parse } from '../lib/http';
import type { Row } from '../lib/report';
import { unavailable, type BenchContext, type Scenario } from '../lib/scenario';
import { startGateway, startSandbox, type GatewayProcess, type Sandbox } from '../lib/stack';
import { SANDBOX_FIXTURES } from '../../src/sandbox/fixtures';

const SCENARIO = '3 agent history, 50 ms upstream';
const LIMITED = '3 agent history, sandbox limited to 40 req/s';
const START = '2024-05-01T00:00:00.000Z';
const END = '2024-05-02T00:00:00.000Z';
const PAGE_SIZE = 100;
const TARGET = 5;
/** The tenant limit the rate-limited row simulates: a token bucket of one second's worth. */
const LIMIT_RPS = 40;
const MAX_429_SHARE = 0.05;

interface Page {
  records?: unknown[];
  totalRecords?: number;
}

interface BudgetView {
  limit: number;
  effectiveRps: number | null;
  lastChange: { what: string; from: number | null; to: number; reason: string } | null;
}

/** Seed 000's client: a token, then page=1.. one at a time until an empty page or totalRecords. */
async function sequentialClient(sandbox: Sandbox, agentId: string) {
  const started = performance.now();
  const tokenRes = await fetch(`${sandbox.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'sandbox-client',
      client_secret: 'sandbox-secret',
    }).toString(),
  });
  const { access_token: token } = (await tokenRes.json()) as { access_token: string };
  const records: unknown[] = [];
  let pages = 0;
  for (let page = 1; ; page++) {
    const query = new URLSearchParams({ start: START, end: END, pageSize: String(PAGE_SIZE) });
    query.set('page', String(page));
    const res = await fetch(
      `${sandbox.url}/api/v2/reporting/agents/${agentId}/history?${query.toString()}`,
      { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } },
    );
    if (!res.ok) throw new Error(`sequential client: page ${page} → ${res.status}`);
    const data = (await res.json()) as Page;
    pages += 1;
    if (!data.records?.length) break;
    records.push(...data.records);
    if (records.length >= (data.totalRecords ?? 0)) break;
  }
  return { ms: performance.now() - started, records: records.length, pages };
}

async function gatewayHistory(gw: GatewayProcess, agentId: string) {
  const url = `${gw.url}/v1/agents/${agentId}/state-history?start=${START}&end=${END}`;
  const answer = await call(url);
  const body = parse<{ count: number }>(answer, 'GET state-history');
  return { ms: answer.ms, records: body.count };
}

async function budgetOf(gw: GatewayProcess): Promise<BudgetView> {
  const status = parse<{ budget: BudgetView }>(
    await call(`${gw.url}/v1/upstream/status`),
    'GET /v1/upstream/status',
  );
  return status.budget;
}

async function sandboxControl(sandbox: Sandbox, method: string, path: string, body?: unknown) {
  const res = await fetch(`${sandbox.url}/_sandbox${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`sandbox ${method} ${path} → ${res.status}`);
  return await res.json();
}

/** agentHistory calls the sandbox answered since the last stats reset, by status. */
async function historyCalls(sandbox: Sandbox): Promise<{ total: number; limited: number }> {
  const stats = (await sandboxControl(sandbox, 'GET', '/stats')) as {
    routes: Record<string, { calls: number; byStatus: Record<string, number> }>;
  };
  const route = stats.routes.agentHistory;
  return { total: route?.calls ?? 0, limited: route?.byStatus['429'] ?? 0 };
}

function speedupRow(seqMs: number, seqRecords: number, gw: { ms: number; records: number }) {
  const speedup = seqMs / gw.ms;
  const complete = gw.records >= seqRecords * 0.99;
  return {
    scenario: SCENARIO,
    figure: 'gateway time, default settings (adaptive budget, CXONE_MAX_* unset)',
    value: gw.ms,
    unit: 'ms',
    reference: seqMs,
    ratio: speedup,
    target: `speed-up ≥ ${TARGET}×`,
    pass: speedup >= TARGET && complete,
    note: `${gw.records} records vs ${seqRecords}; ratio = speed-up`,
  } satisfies Row;
}

/** A fresh gateway (nothing learned yet) against the same sandbox, now limited to 40 req/s. */
async function limitedRows(sandbox: Sandbox, gw: GatewayProcess, expected: number) {
  await sandboxControl(sandbox, 'POST', '/stats/reset');
  await sandboxControl(sandbox, 'POST', '/rate-limit', { rps: LIMIT_RPS, burst: LIMIT_RPS });
  const run = await gatewayHistory(gw, SANDBOX_FIXTURES.agents.busy);
  const calls = await historyCalls(sandbox);
  const budget = await budgetOf(gw);
  await sandboxControl(sandbox, 'DELETE', '/rate-limit');
  const share = calls.total ? calls.limited / calls.total : 1;
  const converged = budget.effectiveRps;
  const why = budget.lastChange ? `last change: ${budget.lastChange.reason}` : 'no change';
  const rows: Row[] = [
    {
      scenario: LIMITED,
      figure: 'gateway time, default settings, fresh gateway (finishes with every record)',
      value: run.ms,
      unit: 'ms',
      target: 'finishes, all records',
      pass: run.records >= expected,
      note: `${run.records} records vs ${expected}`,
    },
    {
      scenario: LIMITED,
      figure: `429 share of its upstream calls (${calls.limited} of ${calls.total})`,
      value: share * 100,
      unit: '%',
      target: `< ${MAX_429_SHARE * 100} %`,
      pass: share < MAX_429_SHARE,
    },
    {
      scenario: LIMITED,
      figure: `request rate it converged to (concurrency limit ${budget.limit}; ${why})`,
      value: converged,
      unit: 'req/s',
      reference: LIMIT_RPS,
      ratio: converged === null ? null : converged / LIMIT_RPS,
      target: `< ${LIMIT_RPS} req/s (the sandbox's limit)`,
      pass: converged !== null && converged < LIMIT_RPS,
    },
  ];
  return rows;
}

async function run(ctx: BenchContext): Promise<Row[]> {
  const sandbox = await startSandbox({
    SANDBOX_LATENCY_MS: '50',
    SANDBOX_HISTORY_RECORDS: '10000',
  });
  const [gwDefault, gwLimited] = await Promise.all([
    startGateway({ sandbox }),
    startGateway({ sandbox, name: 'gateway-limited-sandbox' }),
  ]);
  const { busy, moderate } = SANDBOX_FIXTURES.agents;
  const rows: Row[] = [];
  try {
    // Token and code paths warm; the busy agent's history is then fetched for the first time.
    await gatewayHistory(gwDefault, moderate);
    await gatewayHistory(gwLimited, moderate);
  } catch (err) {
    return [unavailable(SCENARIO, 'gateway time', `speed-up ≥ ${TARGET}×`, (err as Error).message)];
  }
  const seq = await sequentialClient(sandbox, busy);
  ctx.log(`  sequential: ${seq.records} records, ${seq.pages} pages, ${Math.round(seq.ms)} ms`);
  rows.push({
    scenario: SCENARIO,
    figure: 'sequential page-by-page client (seed loop)',
    value: seq.ms,
    unit: 'ms',
    target: 'reference',
    pass: null,
    note: `${seq.records} records, ${seq.pages} pages + token`,
  });
  const byDefault = await gatewayHistory(gwDefault, busy);
  rows.push(speedupRow(seq.ms, seq.records, byDefault));
  const grown = await budgetOf(gwDefault);
  ctx.log(`  default: ${Math.round(byDefault.ms)} ms, limit now ${grown.limit}`);
  try {
    rows.push(...(await limitedRows(sandbox, gwLimited, seq.records)));
  } catch (err) {
    rows.push(
      unavailable(LIMITED, '429 share', `< ${MAX_429_SHARE * 100} %`, (err as Error).message),
    );
  }
  return rows;
}

export const agentHistory: Scenario = {
  id: 3,
  title:
    'agent history of 10 000 records with 50 ms upstream latency vs a sequential client, and against a 40 req/s limit',
  run,
};
