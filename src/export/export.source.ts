import type { Readable } from 'node:stream';
import type { FieldError } from '../common/errors/app-error';
import type { DateWindow } from './export-windows';
import type { ExportDataset } from './export.types';
import type { ScanReport, ScanWorkerModule } from './window-scan.protocol';

export type UpstreamJobStatus = 'queued' | 'running' | 'completed' | 'failed';

export interface UpstreamJob {
  id: string;
  status: UpstreamJobStatus;
  errorMessage?: string;
  /** `false` on a failed job that another job would fail the same way: the window fails now. */
  retryable?: boolean;
}

/** The v2 download: a JSON array of bot events (possibly gzip), parsed by the export pipeline. */
export interface UpstreamDownload {
  stream: Readable;
  headers: Record<string, string>;
}

/**
 * A download the dialect parses and checks itself (the incontact CSV files): records in file
 * order, in batches. Each kept record comes with its de-duplication key; records that fail the
 * dialect's schema are only counted. The export pipeline de-duplicates, counts and stores.
 */
export interface ParsedDownload {
  kind: 'records';
  batches: AsyncIterable<RecordBatch>;
  /** Record fields in file order; complete once `batches` has been read to its end. */
  columns(): string[];
  /** The field of `columns` holding the de-duplication key (complete with `columns`). */
  keyColumn(): string | undefined;
  /**
   * Rows skipped as dated outside the window (complete with `columns`), for the window's
   * `outsideWindow` count; absent for a data set that has no window column filter.
   */
  outsideWindow?(): number;
  /** Stops the download early (failure or cancel elsewhere in the pipeline). */
  destroy(): void;
  /**
   * Set when the whole pipeline of this download (parse, checks, de-duplication, gzip) can run
   * in a scan worker instead of `batches` (the export pipeline then prefers it): the raw body,
   * the worker module, and who is told what it reported (its `skipped` rows become the
   * window's `outsideWindow` count).
   */
  hosted?: {
    body: Readable;
    worker: ScanWorkerModule;
    onReport?(report: ScanReport): void;
  };
}

export interface RecordBatch {
  /**
   * Each kept record as the text of one JSON object, or of a row line (the JSON array of its
   * values in the window's column order; see readWindowRecords). No raw line breaks: JSON
   * escapes them.
   */
  json: string[];
  /** `keys[i]` is the de-duplication key of `json[i]`. */
  keys: string[];
  /** Records of this batch that failed the schema (received, not kept). */
  schemaErrors: number;
}

/** The request rules of a dialect whose exports name a data set. */
export interface ExportRequestRules {
  /** Checks the range and the data-set fields of `POST /v1/exports`; the data set, or errors. */
  resolve(input: {
    startMs: number;
    endMs: number;
    entity?: string;
    version?: string;
  }): { dataset: ExportDataset } | { errors: FieldError[] };
}

/**
 * The export capability of an upstream dialect. Services depend on this, not on CxoneClient, so
 * each upstream dialect (src/dialects/*) answers it its own way.
 */
export interface ExportSource {
  /** Starts one upstream export job for a window. A 409 surfaces as UPSTREAM_CONFLICT. */
  create(window: DateWindow, signal?: AbortSignal, dataset?: ExportDataset): Promise<UpstreamJob>;
  /** Upstream jobs that are queued or running (for the concurrency limit). */
  listActive(signal?: AbortSignal): Promise<UpstreamJob[]>;
  get(jobId: string, signal?: AbortSignal): Promise<UpstreamJob>;
  /**
   * The raw (possibly gzip) download body, streamed; or records the dialect parsed itself, for
   * which it is told the window and data set the job was created for.
   */
  download(
    jobId: string,
    signal?: AbortSignal,
    target?: { window: DateWindow; dataset?: ExportDataset },
  ): Promise<UpstreamDownload | ParsedDownload>;
  /** Set by dialects whose exports name a data set; without it, `entity`/`version` are refused. */
  readonly requestRules?: ExportRequestRules;
  /**
   * How long one list + create may hold the cross-replica creation lock (default 15 s): a
   * dialect that must space its creates waits inside it.
   */
  readonly createLockTtlMs?: number;
}
export const EXPORT_SOURCE = Symbol('EXPORT_SOURCE');
