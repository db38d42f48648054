import type { SharedKeySet } from '../common/collections/compact-key-set';
import type { ExportCounts } from './export.types';

/**
 * What a scan worker other than the JSON one reports besides its counts: the record fields it
 * found (a CSV header) and the rows it skipped as outside the window.
 */
export interface ScanReport {
  columns: string[];
  /** The field of `columns` records are de-duplicated by (the schema's key in the header). */
  keyColumn?: string;
  skipped: number;
}

/**
 * A scan worker of another data format: its entry module (an absolute path without extension,
 * beside the module that names it, whose own extension is `callerExt`) and its `workerData`,
 * to which the host adds `committed` (the shared id set of earlier windows, or null).
 */
export interface ScanWorkerModule {
  entry: string;
  callerExt: string;
  data: object;
  /** The worker's young generation, when the JSON scan's 4 MB does not suit its garbage. */
  youngGenerationMb?: number;
}

/**
 * What the JSON scan worker starts with (its `workerData`). Its chunks are plain JSON: the host
 * inflates a gzip body and applies the size cap (BodyFeed).
 */
export interface ScanWorkerData {
  committed: SharedKeySet | null;
  bodyBytes?: number;
}

/**
 * Main thread → worker. `chunk`s are acknowledged by `inAck`s (each counting several), every
 * `out` (NDJSON) by one `outAck`
 * (sent once the main thread's gzip has taken it in, with the buffer handed back for reuse).
 * A chunk's `bodyBytes` is how much of the download was read for it and every chunk before
 * (compressed bytes when the host inflates): the scan's progress through the body.
 */
export type ToScanWorker =
  | { type: 'chunk'; data: Uint8Array; bodyBytes: number }
  | { type: 'end' }
  | { type: 'outAck'; data?: Uint8Array };

/** An error as it crosses the thread boundary: enough to classify it the same way. */
export interface ScanErrorShape {
  name: string;
  message: string;
  code?: string;
}

/**
 * Worker → main thread. `done` or `error` comes last. An `inAck` hands back the buffers of the
 * body chunks the scan is done with (ScanInput.release).
 */
export type FromScanWorker =
  | { type: 'inAck'; chunks: number; buffers: ArrayBuffer[] }
  | { type: 'out'; data: Uint8Array }
  | { type: 'done'; counts: ExportCounts; ids: SharedKeySet; report?: ScanReport }
  | { type: 'error'; error: ScanErrorShape };

export function toErrorShape(err: unknown): ScanErrorShape {
  const e = err as NodeJS.ErrnoException | undefined;
  return {
    name: typeof e?.name === 'string' ? e.name : 'Error',
    message: typeof e?.message === 'string' ? e.message : String(err),
    ...(typeof e?.code === 'string' ? { code: e.code } : {}),
  };
}

/** The worker's error rebuilt on this side, with the same name, message and code. */
export function fromErrorShape(shape: ScanErrorShape): Error {
  const err = new Error(shape.message) as NodeJS.ErrnoException;
  err.name = shape.name;
  if (shape.code !== undefined) err.code = shape.code;
  return err;
}

/** A copy of `bytes` in its own ArrayBuffer, so it can be transferred instead of cloned. */
export function ownCopy(bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return copy;
}
