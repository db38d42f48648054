import { MB, rssBytes } from '../lib/proc-stats';
import { sleep } from '../lib/http';
import { stop } from '../lib/processes';
import type { Row } from '../lib/report';
import type { BenchContext, Scenario } from '../lib/scenario';
import { GATEWAY_NODE_FLAGS } from '../../src/node-flags';
import { startGateway, startSandbox } from '../lib/stack';

const SCENARIO = '6 startup';
/** What `npm run start:prod` runs. */
const COMMAND = `node ${GATEWAY_NODE_FLAGS.join(' ')} dist/main.js`;
const IDLE_SETTLE_MS = 2000;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

async function run(ctx: BenchContext): Promise<Row[]> {
  const sandbox = await startSandbox();
  const runs = ctx.quick ? 1 : 3;
  const startups: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < runs; i++) {
    const gw = await startGateway({ sandbox });
    startups.push(gw.startupMs);
    await sleep(IDLE_SETTLE_MS);
    rss.push(rssBytes(gw.pid) / MB);
    await stop(gw);
  }
  ctx.log(
    `  startup ${startups.map(Math.round).join(', ')} ms; idle RSS ${rss.map(Math.round).join(', ')} MB`,
  );
  const note = runs > 1 ? `median of ${runs}` : undefined;
  return [
    {
      scenario: SCENARIO,
      figure: `spawn \`${COMMAND}\` (start:prod) → /health/ready 200`,
      value: median(startups),
      unit: 'ms',
      target: '≤ 2000 ms',
      pass: median(startups) <= 2000,
      note,
    },
    {
      scenario: SCENARIO,
      figure: `idle RSS ${IDLE_SETTLE_MS / 1000} s after ready`,
      value: median(rss),
      unit: 'MB',
      target: '≤ 150 MB',
      pass: median(rss) <= 150,
      note,
    },
  ];
}

export const startup: Scenario = { id: 6, title: 'startup to ready and idle RSS', run };
