import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { CompactKeySet } from '../common/collections/compact-key-set';
import { WindowDownloadError } from './export-pipeline';
import type { ParsedDownload } from './export.source';
import type { ExportCounts } from './export.types';
import { RecordBatchFilter } from './record-batches';
import { RESULT_GZIP, runHostedScan } from './window-scan.host';

export interface RecordPipelineInput {
  download: ParsedDownload;
  /** Keys already committed by earlier windows of the same export (read only here). */
  seen: CompactKeySet;
  /** Where the window's gzip NDJSON goes (the job store's result writer; the caller commits it). */
  sink: Writable;
  signal?: AbortSignal;
}

export interface RecordPipelineResult {
  counts: ExportCounts;
  /** Keys this window wrote, to be added to the export's seen-set once committed. */
  ids: CompactKeySet;
  /** The window's record fields (its CSV header), for the CSV output of the records. */
  columns: string[];
  /** The field of `columns` holding the de-duplication key. */
  keyColumn?: string;
}

/**
 * The export pipeline for a download the dialect parsed itself (ParsedDownload): the same
 * counting, de-duplication and result file as the JSON path, keyed by the data set's key (see
 * RecordBatchFilter), written as gzip NDJSON. A download that can run hosted (the incontact CSV
 * files) runs parse, checks and de-duplication in its scan worker, the main thread moving bytes
 * and gzipping the worker's NDJSON; otherwise its batches are read here. Failures reject with
 * WindowDownloadError (the worker's keep their message), or the abort reason when `signal`
 * fired.
 */
export async function runRecordPipeline(input: RecordPipelineInput): Promise<RecordPipelineResult> {
  const { download, signal } = input;
  const committed = input.seen.size > 0 ? input.seen : null;
  try {
    return download.hosted
      ? await runHosted(download, committed, input)
      : await runInThread(download, committed, input);
  } catch (err) {
    download.destroy();
    if (signal?.aborted) throw signal.reason;
    throw asDownloadError(err);
  }
}

async function runHosted(
  download: ParsedDownload,
  committed: CompactKeySet | null,
  input: RecordPipelineInput,
): Promise<RecordPipelineResult> {
  const hosted = download.hosted!;
  const result = await runHostedScan({
    body: hosted.body,
    worker: hosted.worker,
    committed,
    sink: input.sink,
    signal: input.signal,
  });
  const report = result.report ?? { columns: [], skipped: 0 };
  hosted.onReport?.(report);
  return {
    counts: result.report ? { ...result.counts, outsideWindow: report.skipped } : result.counts,
    ids: result.ids,
    columns: report.columns,
    keyColumn: report.keyColumn,
  };
}

async function runInThread(
  download: ParsedDownload,
  committed: CompactKeySet | null,
  input: RecordPipelineInput,
): Promise<RecordPipelineResult> {
  const filter = new RecordBatchFilter(committed);
  async function* ndjson(): AsyncGenerator<string> {
    for await (const batch of download.batches) {
      const out = filter.lines(batch);
      if (out !== '') yield out;
    }
  }
  await pipeline(ndjson, createGzip(RESULT_GZIP), input.sink, {
    signal: input.signal,
  });
  const outsideWindow = download.outsideWindow?.();
  return {
    counts: outsideWindow === undefined ? filter.counts : { ...filter.counts, outsideWindow },
    ids: filter.ids,
    columns: download.columns(),
    keyColumn: download.keyColumn(),
  };
}

/** A worker's WindowDownloadError crosses the thread boundary as its name and message. */
function asDownloadError(err: unknown): WindowDownloadError {
  if (err instanceof WindowDownloadError) return err;
  const e = err as Error | undefined;
  if (e?.name === 'WindowDownloadError') return new WindowDownloadError(e.message);
  return new WindowDownloadError(`download failed: ${e?.message ?? String(err)}`, { cause: err });
}
