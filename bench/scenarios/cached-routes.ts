import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { call, RouteUnavailable } from '../lib/http';
import { interleaved, type LoadFigures, type LoadTarget } from '../lib/load';
import { scratchDir } from '../lib/processes';
import type { Row } from '../lib/report';
import { unavailable, type BenchContext, type Scenario } from '../lib/scenario';
import {
  AUTH_HEADERS,
  ROOT,
  startGateway,
  startReference,
  startSandbox,
  type GatewayProcess,
} from '../lib/stack';
import { validationCost } from '../lib/validation-cost';
import type { ReferenceRoute } from '../reference-server';

const SCENARIO = '1 cached routes vs bare Fastify';
const CONNECTIONS = 50;
const QUEUE_STATS = '/v1/queues/stats';
const ANALYTICS = '/v1/analytics/summary';
/** The README's example query: a week by date and channel. */
export const ANALYTICS_QUERY = {
  metrics: ['handle_time', 'talk_time', 'queue_time'],
  dimensions: ['date', 'channel'],
  start: '2024-05-01T00:00:00Z',
  end: '2024-05-08T00:00:00Z',
};
/**
 * There is no switch to turn audit off, so a second gateway gets this preload: requiring the
 * compiled AuditService first (the same module instance the gateway then loads) and making
 * `record` a no-op. Plain JS written at run time: a ts-node preload would install
 * source-map-support in the gateway and distort what is measured.
 */
function noAuditPreload(): string[] {
  const file = join(scratchDir(), 'no-audit.preload.js');
  const service = JSON.stringify(join(ROOT, 'dist', 'audit', 'audit.service.js'));
  writeFileSync(file, `require(${service}).AuditService.prototype.record = () => undefined;\n`);
  return ['-r', file];
}

interface RouteCase {
  label: string;
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  target: number;
}

const CASES: RouteCase[] = [
  { label: 'GET /v1/queues/stats', method: 'GET', path: QUEUE_STATS, target: 0.5 },
  {
    label: 'POST /v1/analytics/summary',
    method: 'POST',
    path: ANALYTICS,
    body: JSON.stringify(ANALYTICS_QUERY),
    target: 0.33,
  },
];

/** Calls a route until it answers from cache; returns the bytes to replay from the reference. */
async function record(gateways: GatewayProcess[], c: RouteCase): Promise<ReferenceRoute> {
  let last: ReferenceRoute | undefined;
  for (const gw of gateways) {
    for (let i = 0; i < 2; i++) {
      const answer = await call(`${gw.url}${c.path}`, {
        method: c.method,
        body: c.body === undefined ? undefined : JSON.parse(c.body),
      });
      if (answer.status !== 200) {
        throw new RouteUnavailable(`${c.label} → ${answer.status} ${answer.text.slice(0, 120)}`);
      }
      const body = Buffer.from(answer.text).toString('base64');
      last = { method: c.method, path: c.path, contentType: answer.contentType, body };
    }
  }
  return last!;
}

function target(name: string, url: string, pid: number, c: RouteCase): LoadTarget {
  return { name, url, pid, method: c.method, path: c.path, body: c.body, headers: AUTH_HEADERS };
}

function statusNote(f: LoadFigures): string {
  const steal = `CPU steal ${f.stealPercent.toFixed(0)} %`;
  if (f.non2xx === 0 && f.errors === 0) return steal;
  return `${f.non2xx} non-2xx ${JSON.stringify(f.statusCodes)}, ${f.errors} errors; ${steal}`;
}

function routeRows(c: RouteCase, gw: LoadFigures, ref: LoadFigures): Row[] {
  const clean = gw.non2xx === 0 && gw.errors === 0;
  const ratio = ref.reqPerS > 0 ? gw.reqPerS / ref.reqPerS : null;
  return [
    {
      scenario: SCENARIO,
      figure: `${c.label} req/s`,
      value: gw.reqPerS,
      unit: '',
      reference: ref.reqPerS,
      ratio,
      target: `ratio ≥ ${c.target}`,
      pass: clean && ratio !== null && ratio >= c.target,
      note: statusNote(gw),
    },
    {
      scenario: SCENARIO,
      figure: `${c.label} p99 @ ${CONNECTIONS} conns`,
      value: gw.p99Ms,
      unit: 'ms',
      reference: ref.p99Ms,
      target: '≤ 10 ms',
      pass: clean && gw.p99Ms <= 10,
      note: `worst of ${gw.roundP99Ms.length} rounds: ${gw.roundP99Ms.join(', ')} ms; bare Fastify ${ref.roundP99Ms.join(', ')} ms`,
    },
    {
      scenario: SCENARIO,
      figure: `${c.label} CPU per request`,
      value: gw.cpuUsPerReq,
      unit: 'µs',
      reference: ref.cpuUsPerReq,
      ratio: ref.cpuUsPerReq > 0 ? gw.cpuUsPerReq / ref.cpuUsPerReq : null,
      target: 'info',
      pass: null,
    },
  ];
}

function auditRows(gw: LoadFigures, noAudit: LoadFigures, health: LoadFigures): Row[] {
  return [
    {
      scenario: SCENARIO,
      figure: 'audit cost: CPU/request with vs without AuditService.record',
      value: gw.cpuUsPerReq - noAudit.cpuUsPerReq,
      unit: 'µs',
      reference: noAudit.cpuUsPerReq,
      target: 'info',
      pass: null,
      note: `req/s without audit ${Math.round(noAudit.reqPerS)} vs ${Math.round(gw.reqPerS)}`,
    },
    {
      scenario: SCENARIO,
      figure: 'GET /health/live (public, no auth/audit/cache) CPU per request',
      value: health.cpuUsPerReq,
      unit: 'µs',
      reference: gw.cpuUsPerReq,
      ratio: gw.cpuUsPerReq > 0 ? health.cpuUsPerReq / gw.cpuUsPerReq : null,
      target: 'info',
      pass: null,
      note: `${Math.round(health.reqPerS)} req/s`,
    },
  ];
}

/** What a first request or a miss pays to validate its body, precompiled vs class-validator. */
async function validationRow(rounds: number): Promise<Row> {
  const body = {
    ...ANALYTICS_QUERY,
    filters: [{ dimension: 'channel', operator: 'in', values: ['voice', 'chat'] }],
  };
  const cost = await validationCost(body, rounds);
  return {
    scenario: SCENARIO,
    figure: 'validation of a summary body with a filter (a miss), precompiled vs class-validator',
    value: cost.precompiled,
    unit: 'µs',
    reference: cost.classValidator,
    ratio: cost.classValidator > 0 ? cost.precompiled / cost.classValidator : null,
    target: 'info',
    pass: null,
    note: 'in the bench process, the body copied per call in both',
  };
}

async function run(ctx: BenchContext): Promise<Row[]> {
  const load = ctx.quick
    ? { rounds: 1, durationS: 3, warmupS: 1, connections: CONNECTIONS }
    : { rounds: 3, durationS: 5, warmupS: 2, connections: CONNECTIONS };
  const sandbox = await startSandbox();
  const env = { QUEUE_STATS_TTL_S: '3600', ANALYTICS_CACHE_TTL_S: '3600' };
  const [gw, noAudit] = await Promise.all([
    startGateway({ sandbox, env }),
    startGateway({ sandbox, env, nodeArgs: noAuditPreload(), name: 'gateway-no-audit' }),
  ]);
  const rows: Row[] = [];
  const recorded: { c: RouteCase; route: ReferenceRoute }[] = [];
  for (const c of CASES) {
    try {
      recorded.push({ c, route: await record([gw, noAudit], c) });
    } catch (err) {
      if (!(err instanceof RouteUnavailable)) throw err;
      rows.push(unavailable(SCENARIO, `${c.label} req/s`, `ratio ≥ ${c.target}`, err.message));
    }
  }
  if (recorded.length === 0) return rows;
  const file = join(scratchDir(), 'reference-routes.json');
  writeFileSync(file, JSON.stringify(recorded.map((r) => r.route)));
  const ref = await startReference(file);

  for (const { c } of recorded) {
    ctx.log(`  ${c.label}: ${load.rounds} × ${load.durationS} s per target, interleaved`);
    const targets = [target('ref', ref.url, ref.pid, c), target('gw', gw.url, gw.pid, c)];
    if (c.method === 'GET') {
      targets.push(target('noAudit', noAudit.url, noAudit.pid, c));
      targets.push({ name: 'health', url: gw.url, pid: gw.pid, path: '/health/live' });
    }
    const f = await interleaved(targets, load);
    rows.push(...routeRows(c, f.get('gw')!, f.get('ref')!));
    if (c.method === 'GET')
      rows.push(...auditRows(f.get('gw')!, f.get('noAudit')!, f.get('health')!));
  }
  rows.push(await validationRow(load.rounds));
  return rows;
}

export const cachedRoutes: Scenario = {
  id: 1,
  title: 'cached GET /v1/queues/stats and POST /v1/analytics/summary vs a bare Fastify route',
  run,
};
