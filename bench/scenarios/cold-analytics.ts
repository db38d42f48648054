import { Agent, request } from 'node:http';
import { SandboxControlClient } from '../../src/sandbox/sandbox-control.client';
import { call } from '../lib/http';
import type { Row } from '../lib/report';
import { unavailable, type BenchContext, type Scenario } from '../lib/scenario';
import { AUTH_HEADERS, startGateway, startSandbox } from '../lib/stack';
import { ANALYTICS_QUERY } from './cached-routes';

const SCENARIO = '2 cold analytics stampede';
const CONCURRENT = 200;
/** A range no other scenario asks for, so the query is cold in this gateway. */
const COLD_QUERY = {
  ...ANALYTICS_QUERY,
  start: '2024-03-01T00:00:00Z',
  end: '2024-03-31T00:00:00Z',
};

/** One POST on its own socket (200 sockets at once: no client-side queueing hides the race). */
function post(url: string, body: string, agent: Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { ...AUTH_HEADERS, 'content-type': 'application/json' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function rowsSignature(text: string): string {
  try {
    return JSON.stringify((JSON.parse(text) as { rows?: unknown }).rows);
  } catch {
    return text;
  }
}

async function run(ctx: BenchContext): Promise<Row[]> {
  const sandbox = await startSandbox();
  const gw = await startGateway({ sandbox });
  const control = new SandboxControlClient(sandbox.url);
  // Warm the token and the code paths with a different query, then count from zero.
  const warm = await call(`${gw.url}/v1/analytics/summary`, {
    method: 'POST',
    body: ANALYTICS_QUERY,
  });
  if (warm.status !== 200) {
    const why = `POST /v1/analytics/summary → ${warm.status}`;
    return [unavailable(SCENARIO, 'upstream query chains', '= 1', why)];
  }
  await control.resetStats();
  const agent = new Agent({ keepAlive: false, maxSockets: CONCURRENT });
  const body = JSON.stringify(COLD_QUERY);
  const started = performance.now();
  const answers = await Promise.all(
    Array.from({ length: CONCURRENT }, () => post(`${gw.url}/v1/analytics/summary`, body, agent)),
  );
  const wallMs = performance.now() - started;
  agent.destroy();
  const stats = await control.stats();
  const ok = answers.filter((a) => a.status === 200);
  const distinct = new Set(ok.map((a) => rowsSignature(a.body))).size;
  ctx.log(`  ${ok.length}/${CONCURRENT} answered 200, ${distinct} distinct row sets`);
  return [
    {
      scenario: SCENARIO,
      figure: `upstream query chains for ${CONCURRENT} concurrent identical queries`,
      value: stats.analyticsChains,
      unit: '',
      target: '= 1',
      pass: stats.analyticsChains === 1,
      note: `${stats.routes.analyticsQuery.calls} page calls`,
    },
    {
      scenario: SCENARIO,
      figure: 'answered 200 with identical rows',
      value: ok.length,
      unit: '',
      reference: CONCURRENT,
      target: `${CONCURRENT}, 1 distinct`,
      pass: ok.length === CONCURRENT && distinct === 1,
      note: `${distinct} distinct; all answered in ${Math.round(wallMs)} ms`,
    },
  ];
}

export const coldAnalytics: Scenario = {
  id: 2,
  title: '200 concurrent identical cold analytics queries → upstream query chains',
  run,
};
