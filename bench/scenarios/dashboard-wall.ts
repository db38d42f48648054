import { SandboxControlClient } from '../../src/sandbox/sandbox-control.client';
import { call } from '../lib/http';
import { runLoad } from '../lib/load';
import type { Row } from '../lib/report';
import { unavailable, type BenchContext, type Scenario } from '../lib/scenario';
import { AUTH_HEADERS, startGateway, startSandbox } from '../lib/stack';

const SCENARIO = '5 dashboard wall on queue stats';
const CONNECTIONS = 100;
const TTL_S = 5;

async function run(ctx: BenchContext): Promise<Row[]> {
  const durationS = ctx.quick ? 5 : 10;
  const sandbox = await startSandbox();
  const gw = await startGateway({ sandbox, env: { QUEUE_STATS_TTL_S: String(TTL_S) } });
  const control = new SandboxControlClient(sandbox.url);
  const probe = await call(`${gw.url}/health/ready`);
  if (probe.status !== 200) {
    return [unavailable(SCENARIO, 'upstream calls', '', `ready → ${probe.status}`)];
  }
  await control.resetStats();
  const { result } = await runLoad(
    { name: 'gw', url: gw.url, pid: gw.pid, path: '/v1/queues/stats', headers: AUTH_HEADERS },
    CONNECTIONS,
    durationS,
  );
  const stats = await control.stats();
  const upstream = stats.routes.queueStats.calls;
  // A cold start plus one refresh per TTL period (+1 for a refresh straddling the end).
  const bound = Math.ceil(durationS / TTL_S) + 1;
  const served = result['2xx'];
  ctx.log(`  ${served} served (${result.non2xx} non-2xx), ${upstream} upstream calls`);
  return [
    {
      scenario: SCENARIO,
      figure: `upstream calls for ${served.toLocaleString('en-US')} requests served (${CONNECTIONS} conns, ${durationS} s, TTL ${TTL_S} s)`,
      value: upstream,
      unit: '',
      reference: served,
      ratio: served > 0 ? upstream / served : null,
      target: `≤ ${bound}, no non-2xx`,
      pass: upstream <= bound && served > 0 && result.non2xx === 0 && result.errors === 0,
      note:
        result.non2xx > 0
          ? `${result.non2xx} non-2xx ${JSON.stringify(result.statusCodeStats)}`
          : undefined,
    },
    {
      scenario: SCENARIO,
      figure: `p99 at ${CONNECTIONS} connections`,
      value: result.latency.p99,
      unit: 'ms',
      target: 'info',
      pass: null,
      note: `${Math.round(result.requests.average)} req/s`,
    },
  ];
}

export const dashboardWall: Scenario = {
  id: 5,
  title: 'queue stats under a dashboard wall: upstream calls vs requests served',
  run,
};
