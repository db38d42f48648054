/**
 * `npm run bench`: the performance targets (docs/bench.md), measured against the sandbox with every
 * process separate on loopback. Prints a Markdown table (or JSON with --json) and rewrites
 * docs/bench.md. Options: --only 1,3  --quick  --json. See docs/bench.md.
 */
import { ensureBuild } from './lib/build';
import {
  killAllNow,
  removeScratch,
  scratchDir,
  stopAll,
  takeUnexpectedExits,
} from './lib/processes';
import { machine, machineLine, markdownTable, writeDocs, type Row } from './lib/report';
import type { BenchContext, Scenario } from './lib/scenario';
import { agentHistory } from './scenarios/agent-history';
import { cachedRoutes } from './scenarios/cached-routes';
import { coldAnalytics } from './scenarios/cold-analytics';
import { dashboardWall } from './scenarios/dashboard-wall';
import { exportIncontact } from './scenarios/export-incontact';
import { exportThroughput } from './scenarios/export-throughput';
import { incontactSummary } from './scenarios/incontact-summary';
import { queueStream } from './scenarios/queue-stream';
import { startup } from './scenarios/startup';

const SCENARIOS: Scenario[] = [
  cachedRoutes,
  coldAnalytics,
  agentHistory,
  exportThroughput,
  dashboardWall,
  startup,
  queueStream,
  exportIncontact,
  incontactSummary,
];

interface Options {
  quick: boolean;
  json: boolean;
  only: number[] | null;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { quick: false, json: false, only: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') options.quick = true;
    else if (arg === '--json') options.json = true;
    else if (arg === '--only' || arg.startsWith('--only=')) {
      const list = arg.includes('=') ? arg.slice(7) : argv[++i];
      options.only = (list ?? '').split(',').map(Number);
      const known = SCENARIOS.map((s) => s.id);
      if (options.only.length === 0 || !options.only.every((n) => known.includes(n))) {
        throw new Error(`--only takes a comma list of ${known.join(',')}`);
      }
    } else throw new Error(`unknown option ${arg} (use --only <n,...>, --quick, --json)`);
  }
  return options;
}

function installExitHandlers(): void {
  process.on('exit', killAllNow);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: stopping the benchmark's processes\n`);
      killAllNow();
      removeScratch();
      process.exit(130);
    });
  }
}

async function runScenario(scenario: Scenario, ctx: BenchContext): Promise<Row[]> {
  const started = performance.now();
  ctx.log(`[${scenario.id}] ${scenario.title}`);
  takeUnexpectedExits();
  try {
    return await scenario.run(ctx);
  } catch (err) {
    const exits = takeUnexpectedExits();
    const message =
      (err instanceof Error ? err.message : String(err)) +
      (exits.length ? ` [unexpected exit: ${exits.join('; ')}]` : '');
    ctx.log(`[${scenario.id}] ERROR ${message}`);
    const figure = `error: ${message.split('\n')[0].slice(0, 240)}`;
    return [
      {
        scenario: `${scenario.id} ${scenario.title}`,
        figure,
        value: null,
        unit: '',
        target: '',
        pass: false,
      },
    ];
  } finally {
    for (const exit of takeUnexpectedExits()) ctx.log(`[${scenario.id}] WARNING ${exit}`);
    await stopAll();
    ctx.log(`[${scenario.id}] done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  installExitHandlers();
  const ctx: BenchContext = {
    quick: options.quick,
    log: (message) => process.stderr.write(`${message}\n`),
  };
  const started = performance.now();
  ensureBuild(ctx.log);
  const rows: Row[] = [];
  for (const scenario of SCENARIOS) {
    if (options.only && !options.only.includes(scenario.id)) continue;
    rows.push(...(await runScenario(scenario, ctx)));
  }
  const report = {
    machine: machine(),
    options: { quick: options.quick, only: options.only },
    totalSeconds: (performance.now() - started) / 1000,
    rows,
  };
  // A partial run would replace the full table with a few rows: only complete runs are written.
  const docs = options.only ? null : writeDocs(report);
  const failed = rows.some((r) => r.figure.startsWith('error:'));
  if (failed) ctx.log(`process logs kept in ${scratchDir()}`);
  else removeScratch();
  if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else {
    process.stdout.write(`\nMachine: ${machineLine(report.machine)}\n\n${markdownTable(rows)}\n`);
    const where = docs ? `table written to ${docs}` : 'docs/bench.md left as is (partial run)';
    process.stdout.write(`\n(${Math.round(report.totalSeconds)} s; ${where})\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  killAllNow();
  process.exit(1);
});
