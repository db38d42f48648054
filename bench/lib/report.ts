import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './stack';

/** One line of the result table. `pass` null = informational (no target). */
export interface Row {
  scenario: string;
  figure: string;
  value: number | null;
  unit: string;
  reference?: number | null;
  ratio?: number | null;
  target: string;
  pass: boolean | null;
  note?: string;
}

export interface Machine {
  nproc: number;
  cpuModel: string;
  node: string;
  memoryGb: number;
  date: string;
}

export interface BenchReport {
  machine: Machine;
  options: { quick: boolean; only: number[] | null };
  totalSeconds: number;
  rows: Row[];
}

export function machine(): Machine {
  return {
    nproc: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    date: new Date().toISOString(),
  };
}

function num(value: number | null | undefined, unit = ''): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  const text = value.toLocaleString('en-US', {
    maximumFractionDigits: digits,
    minimumFractionDigits: 0,
  });
  return unit ? `${text} ${unit}` : text;
}

function verdict(row: Row): string {
  if (row.pass === null) return row.value === null ? 'n/a' : 'info';
  return row.pass ? 'PASS' : '**FAIL**';
}

const escape = (text: string): string => text.replace(/\|/g, '\\|');

export function markdownTable(rows: Row[]): string {
  const lines = [
    '| # | Scenario | Figure | Value | Reference | Ratio | Target | Result |',
    '|---|---|---|---:|---:|---:|---|---|',
  ];
  for (const row of rows) {
    const [n, ...rest] = row.scenario.split(' ');
    const figure = row.note ? `${row.figure} (${row.note})` : row.figure;
    lines.push(
      `| ${n} | ${escape(rest.join(' '))} | ${escape(figure)} | ${num(row.value, row.unit)} | ` +
        `${num(row.reference, row.unit)} | ${num(row.ratio)} | ${escape(row.target)} | ${verdict(row)} |`,
    );
  }
  return lines.join('\n');
}

export function machineLine(m: Machine): string {
  return (
    `${m.nproc} × ${m.cpuModel}, ${m.memoryGb} GB RAM, Node ${m.node}, ` +
    `${m.date.slice(0, 16).replace('T', ' ')} UTC`
  );
}

/** Everything from this line on in docs/bench.md is hand-written analysis the bench keeps. */
const KEEP_MARKER = '<!-- analysis: kept as is by npm run bench -->';

/** Rewrites docs/bench.md with the latest table, keeping the hand-written analysis section. */
export function writeDocs(report: BenchReport): string {
  const file = join(ROOT, 'docs', 'bench.md');
  const previous = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const at = previous.indexOf(KEEP_MARKER);
  const kept = at >= 0 ? previous.slice(at) : `${KEEP_MARKER}\n`;
  const mode = report.options.quick ? '`--quick`' : 'full';
  const only = report.options.only ? `, scenarios ${report.options.only.join(',')} only` : '';
  const latest =
    `## Latest run\n\nMachine: ${machineLine(report.machine)}.  \n` +
    `Mode: ${mode}${only}; ${Math.round(report.totalSeconds)} s in total.\n\n` +
    `${markdownTable(report.rows)}\n`;
  writeFileSync(file, `${DOC_INTRO}\n${latest}\n${DOC_NOTES}\n${kept}`);
  return file;
}

const DOC_INTRO = `# Benchmark (\`npm run bench\`)

Measures the performance targets (listed below) against the sandbox, every process separate on
loopback: the gateway (\`node dist/main.js\` with its V8 flags from \`src/node-flags.ts\`, as
\`npm run start:prod\` runs it; memory mode, \`LOG_LEVEL=warn\`), the sandbox
(\`node dist/sandbox/main.js\`) and, for the throughput ratios, a bare Fastify 5 process
(\`bench/reference-server.ts\`) serving byte-for-byte what the gateway served. Load comes from
autocannon's in-process API. Every comparison is taken side by side in the same run, rounds
interleaved, because absolute figures on these 2-core machines drift ±25 %.

\`\`\`bash
npm run bench                 # all scenarios, ≈ 4 min (builds dist/ first when stale)
npm run bench -- --quick      # shorter loads and a 250 k export, ≈ 1.5 min
npm run bench -- --only 1,4   # some scenarios
npm run -s bench -- --json    # machine-readable result on stdout (progress goes to stderr)
\`\`\`
`;

const DOC_NOTES = `## Reading the table

- **Ratio** is value ÷ reference. For req/s the reference is the bare Fastify route; for CPU
  µs/request it is the reference's CPU per request (lower is better, the steadier figure here).
- **p99 @ 50 conns** is the worst of the rounds' p99s (autocannon's, whole milliseconds); the
  note lists every round's, the gateway's and bare Fastify's, so one bad round shows as one.
- **Audit cost**: there is no switch to turn audit off, so a second gateway is started with
  a preload written at run time, which replaces \`AuditService.record\` with a no-op (the Fastify
  onResponse hook and the latency histogram still run). Difference of CPU µs/request = what
  recording an audit fact costs. \`/health/live\` (public, not audited, no key, no cache) is the
  floor of a Nest route here.
- **Query chains**: the sandbox counts first pages of analytics queries (\`analyticsChains\`).
- **Agent history**: the sequential client is the v2 §agent-history loop (token, then \`page=1..\`,
  \`pageSize=100\` until an empty page or \`totalRecords\`), against a sandbox with 50 ms latency
  per call. The gateway runs with default settings (adaptive budget, no \`CXONE_MAX_*\`) and is
  timed on its first (uncached) request, its token already fetched. The rate-limited rows then
  switch the same sandbox to 40 requests/s (\`POST /_sandbox/rate-limit {rps: 40, burst: 40}\`: a
  token bucket, 429 with \`Retry-After\` beyond it, answered at once) and time a second, fresh
  gateway on the same history: the 429 share counts the sandbox's answers to \`agentHistory\`
  calls, the converged rate is \`budget.effectiveRps\` of \`/v1/upstream/status\` afterwards.
- **Export**: records/s = valid records ÷ the time from the sandbox's log of the download
  request to the export's \`updatedAt\` when \`completed\` (the sandbox prerenders the file while
  the job runs, \`SANDBOX_EXPORT_PRERENDER=true\`, so its generator and gzip are not timed; until
  2026-12-01 this row timed \`POST\` to \`completed\` against a sandbox generating the records on
  the fly at ≈ 140 000/s, which capped it). End to end is shown as info. Peak RSS of the gateway
  sampled from \`/proc/<pid>/status\` every 50 ms; the counts are checked against the sandbox's
  ground truth (\`/_sandbox/truth/exports\`).
- **Export (incontact CSV)**: timed the same way, from the sandbox's log of the storage download
  (\`dataExtractionFile\`) to \`completed\`: the sandbox renders the CSV file while the Data
  Extraction job runs (\`SANDBOX_DE_PRERENDER=on\`), as real storage holds a finished file, so
  generating a million rows (≈ 4 s of its CPU) no longer shares the two cores with the timed
  part. Until 2026-12-01 this row timed \`POST\` to \`completed\` against a file generated on
  the fly; end to end is still shown as info. The counts are checked against
  \`/_sandbox/truth/data-extraction\`.
- **Dashboard wall**: 100 connections on \`GET /v1/queues/stats\` with the default 5 s cache;
  the sandbox counts the upstream calls.
- **Analytics date × skill (incontact)**: a cold 31-day \`date × skill\` summary in the
  incontact dialect; the sandbox counts \`/skills/summary\` calls (one per UTC day is the target)
  and answers each summary and SLA-summary call after 50 ms. The reference is the 62 calls one
  after another. With the default \`CXONE_MAX_RPS=20\` (burst 20) the rate budget, not the
  concurrency, sets the time (≥ 2.1 s for 62 calls by construction); the raised-rate row shows
  what the bounded concurrency gives.
- The load generator (autocannon) runs inside the bench process and shares the two cores, so
  the bare Fastify figure is partly capped by the client: req/s ratios flatter the gateway a
  little; CPU µs/request (from \`/proc/<pid>/stat\`, utime + stime) is not affected.
- **CPU steal** (in the notes of rows 1, 4 and 8) is the share of the machine's time the
  hypervisor gave to other guests while the figure was taken (\`/proc/stat\`). On these shared
  VMs it rises under the bench's own load (to 10–35 %) and slows every process alike: a
  same-run ratio is unaffected, an absolute figure (records/s) is not.
- An \`error:\` row names any process that exited unexpectedly (other work on a shared machine
  that kills \`node dist/main.js\` processes shows up there).
- \`n/a\` means the route was not there (or not answering 2xx) when the run was taken.
`;
