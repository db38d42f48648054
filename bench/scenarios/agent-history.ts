import { call, parse } from '../lib/http';
import type { Row } from '../lib/report';
import { unavailable, type BenchContext, type Scenario } from '../lib/scenario';
import { startGateway, startSandbox, type GatewayProcess, type Sandbox } from '../lib/stack';
import { SANDBOX_FIXTURES } from '../../src/sandbox/fixtures';

const SCENARIO = '3 agent history, 50 ms upstream';
const START = '2024-05-01T00:00:00.000Z';
const END = '2024-05-02T00:00:00.000Z';
const PAGE_SIZE = 100;
const TARGET = 5;

interface Page {
  records?: unknown[];
  totalRecords?: number;
}

/** The v2 §agent-history client: a token, then page=1.. one at a time until an empty page or totalRecords. */
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

function speedupRow(
  label: string,
  seqMs: number,
  seqRecords: number,
  gw: { ms: number; records: number },
): Row {
  const speedup = seqMs / gw.ms;
  const complete = gw.records >= seqRecords * 0.99;
  return {
    scenario: SCENARIO,
    figure: `gateway time, ${label}`,
    value: gw.ms,
    unit: 'ms',
    reference: seqMs,
    ratio: speedup,
    target: `speed-up ≥ ${TARGET}×`,
    pass: speedup >= TARGET && complete,
    note: `${gw.records} records vs ${seqRecords}; ratio = speed-up`,
  };
}

async function run(ctx: BenchContext): Promise<Row[]> {
  const sandbox = await startSandbox({
    SANDBOX_LATENCY_MS: '50',
    SANDBOX_HISTORY_RECORDS: '10000',
  });
  const raised = { CXONE_MAX_RPS: '200', CXONE_MAX_CONCURRENCY: '16' };
  const [gwDefault, gwRaised] = await Promise.all([
    startGateway({ sandbox }),
    startGateway({ sandbox, env: raised, name: 'gateway-raised-budget' }),
  ]);
  const { busy, moderate } = SANDBOX_FIXTURES.agents;
  const rows: Row[] = [];
  try {
    // Token and code paths warm; the busy agent's history is then fetched for the first time.
    await gatewayHistory(gwDefault, moderate);
    await gatewayHistory(gwRaised, moderate);
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
  rows.push(
    speedupRow('default budget (CXONE_MAX_RPS=20, CONCURRENCY=8)', seq.ms, seq.records, byDefault),
  );
  const byRaised = await gatewayHistory(gwRaised, busy);
  rows.push(speedupRow('CXONE_MAX_RPS=200, CONCURRENCY=16', seq.ms, seq.records, byRaised));
  return rows;
}

export const agentHistory: Scenario = {
  id: 3,
  title: 'agent history of 10 000 records with 50 ms upstream latency vs a sequential client',
  run,
};
