import { call, parse, sleep } from './http';
import { cpuMicros, machineTicks, MB, rssBytes, RssSampler, stealPercentSince } from './proc-stats';
import type { Row } from './report';

export interface ExportCounts {
  received: number;
  valid: number;
  duplicates: number;
  schemaErrors: number;
}

/** The part of `GET /v1/exports/:id` the export scenarios read. */
export interface ExportStatus {
  id: string;
  status: string;
  updatedAt: string;
  counts: ExportCounts | null;
  windows: { error?: string }[];
}

/** What one measured export gave: its final status and what it cost the two processes. */
export interface ExportRun {
  done: ExportStatus;
  counts: ExportCounts;
  wallS: number;
  idleRss: number;
  peakRss: number;
  gatewayCpuS: number;
  sandboxCpuS: number;
  /** CPU steal on the machine while the export ran, percent (see stealPercentSince). */
  stealPercent: number;
}

const TERMINAL = new Set(['completed', 'partial', 'failed', 'cancelled']);

/** Polls the export every 50 ms until it reaches a final status. */
async function waitForExport(url: string, id: string, timeoutMs: number): Promise<ExportStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = parse<ExportStatus>(
      await call(`${url}/v1/exports/${id}`),
      'GET /v1/exports/:id',
    );
    if (TERMINAL.has(status.status)) return status;
    if (Date.now() > deadline)
      throw new Error(`export still ${status.status} after ${timeoutMs} ms`);
    await sleep(50);
  }
}

/**
 * Creates one export of [start, end) and waits for its end, sampling the gateway's RSS every
 * 50 ms and both processes' CPU around it. Rejects when it cannot be created or does not end.
 */
export async function measureExport(
  gw: { url: string; pid: number },
  sandbox: { pid: number },
  range: { start: string; end: string },
  timeoutMs: number,
): Promise<ExportRun> {
  const idleRss = rssBytes(gw.pid);
  const sandboxCpu = cpuMicros(sandbox.pid);
  const gatewayCpu = cpuMicros(gw.pid);
  const sampler = new RssSampler(gw.pid, 50);
  const ticks = machineTicks();
  const started = performance.now();
  let done: ExportStatus;
  let wallS: number;
  let peakRss: number;
  try {
    const created = await call(`${gw.url}/v1/exports`, { method: 'POST', body: range });
    const { id } = parse<{ id: string }>(created, 'POST /v1/exports');
    done = await waitForExport(gw.url, id, timeoutMs);
    wallS = (performance.now() - started) / 1000;
  } finally {
    peakRss = sampler.stop();
  }
  return {
    done,
    counts: done.counts ?? { received: 0, valid: 0, duplicates: 0, schemaErrors: 0 },
    wallS,
    idleRss,
    peakRss,
    gatewayCpuS: (cpuMicros(gw.pid) - gatewayCpu) / 1e6,
    sandboxCpuS: (cpuMicros(sandbox.pid) - sandboxCpu) / 1e6,
    stealPercent: stealPercentSince(ticks),
  };
}

/** The row both export scenarios report: the gateway's peak RSS against its idle RSS. */
export function peakRssRow(scenario: string, run: ExportRun, targetMb: number): Row {
  return {
    scenario,
    figure: 'gateway peak RSS during the export',
    value: run.peakRss / MB,
    unit: 'MB',
    reference: run.idleRss / MB,
    target: `≤ ${targetMb} MB`,
    pass: run.peakRss / MB <= targetMb,
    note: 'reference = RSS before the export',
  };
}

/**
 * From the sandbox's log of the download request on `route` to the export's last update
 * (completed): the time the gateway took once the file was there. Null when it cannot be told.
 */
export async function downloadSeconds(
  sandboxUrl: string,
  route: 'exportDownload' | 'dataExtractionFile',
  done: ExportStatus,
): Promise<number | null> {
  const res = await fetch(`${sandboxUrl}/_sandbox/requests?route=${route}`);
  const body = (await res.json()) as { requests?: { at: string }[] };
  // The last download is the one committed (an earlier one would have been a failed attempt).
  const startedAt = Date.parse(body.requests?.at(-1)?.at ?? '');
  const doneAt = Date.parse(done.updatedAt);
  return Number.isFinite(startedAt) && doneAt > startedAt ? (doneAt - startedAt) / 1000 : null;
}

/**
 * The two rate rows of an export scenario: records/s from the download request to completed
 * (against `target`), and end to end from POST (info). `received` names what the file held,
 * `prepared` what the end-to-end time includes besides the gateway.
 */
export function exportRateRows(
  scenario: string,
  run: ExportRun,
  downloadS: number | null,
  text: { received: string; prepared: string },
  target: number,
): Row[] {
  const { done, counts, wallS } = run;
  const rate = downloadS ? counts.valid / downloadS : null;
  return [
    {
      scenario,
      figure: `records/s from the download request to the committed window, ${text.received}`,
      value: rate,
      unit: '',
      target: `≥ ${target.toLocaleString('en-US')}`,
      pass: done.status === 'completed' && rate !== null && rate >= target,
      note: `${done.status}; download to done ${downloadS?.toFixed(1) ?? '?'} s; CPU gateway ${run.gatewayCpuS.toFixed(1)} s, sandbox ${run.sandboxCpuS.toFixed(1)} s; CPU steal ${run.stealPercent.toFixed(0)} %`,
    },
    {
      scenario,
      figure: `records/s end to end, POST /v1/exports to completed (includes ${text.prepared})`,
      value: counts.valid / wallS,
      unit: '',
      target: 'info',
      pass: null,
      note: `${wallS.toFixed(1)} s`,
    },
  ];
}
