import { pipeline as pipelineCb, type Readable, type Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import type { CompactKeySet } from '../common/collections/compact-key-set';
import type { ExportCounts } from './export.types';
import { runHostedScan } from './window-scan.host';

/** A window attempt's download could not be used (gzip, JSON, size or transport problem). */
export class WindowDownloadError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WindowDownloadError';
  }
}

export interface WindowPipelineInput {
  body: Readable;
  /** Response headers, lower-case names. */
  headers: Record<string, string>;
  /** Ids already committed by earlier windows of the same export (read only here). */
  seen: CompactKeySet;
  /** Where the window's gzip NDJSON goes (the job store's result writer; the caller commits it). */
  sink: Writable;
  maxDecompressedBytes: number;
  signal?: AbortSignal;
}

export interface WindowPipelineResult {
  counts: ExportCounts;
  /** Ids this window wrote, to be added to the export's seen-set once committed (`addAll`). */
  ids: CompactKeySet;
}

/**
 * Streams one window's download end to end: inflate (when gzip by Content-Type, Content-Encoding
 * or magic bytes) with a cap on the inflated size, split the JSON array, validate each record,
 * drop ids already seen (in earlier windows or earlier in this one) and write the rest as gzip
 * NDJSON to `sink`. All of that but the byte moving runs in a worker thread (window-scan.host),
 * so a large export uses a second core and leaves the event loop free. Memory holds a few
 * chunks, one element and the compact id sets. Any failure rejects with WindowDownloadError (or
 * the abort reason when `signal` fired); what reached the sink is then garbage for the caller
 * to remove.
 */
export async function runWindowPipeline(input: WindowPipelineInput): Promise<WindowPipelineResult> {
  try {
    return await runHostedScan({
      body: input.body,
      gzipHeader: isGzipHeader(input.headers),
      maxDecompressedBytes: input.maxDecompressedBytes,
      committed: input.seen.size > 0 ? input.seen : null,
      bodyBytes: contentLength(input.headers),
      sink: input.sink,
      signal: input.signal,
    });
  } catch (err) {
    input.body.destroy();
    if (input.signal?.aborted) throw input.signal.reason;
    throw asDownloadError(err);
  }
}

function contentLength(headers: Record<string, string>): number | undefined {
  const length = Number(headers['content-length']);
  return Number.isSafeInteger(length) && length > 0 ? length : undefined;
}

function isGzipHeader(headers: Record<string, string>): boolean {
  const type = headers['content-type'] ?? '';
  const encoding = headers['content-encoding'] ?? '';
  return /gzip/i.test(type) || /gzip/i.test(encoding);
}

function asDownloadError(err: unknown): WindowDownloadError {
  if (err instanceof WindowDownloadError) return err;
  const e = err as NodeJS.ErrnoException;
  const message = e?.message ?? String(err);
  if (e?.name === 'DownloadTooLargeError') return new WindowDownloadError(message);
  if (e?.name === 'JsonArrayParseError')
    return new WindowDownloadError(`malformed JSON: ${message}`, { cause: err });
  if (typeof e?.code === 'string' && e.code.startsWith('Z_')) {
    return new WindowDownloadError(`corrupt or truncated gzip: ${message}`, { cause: err });
  }
  return new WindowDownloadError(`download failed: ${message}`, { cause: err });
}

/**
 * Every record of a committed window (its gzip NDJSON, as the job store reads it), in order.
 * A line is a record's JSON object, or a row line: the JSON array of a record's values in the
 * order of the window's `columns` (the incontact CSV scan writes these; see rowJson), turned
 * back into the object keyed by the column names here. A row line in a window without columns,
 * or of another length, means the file and the job state disagree: the read fails rather than
 * serving shifted fields.
 */
export async function* readWindowRecords(
  gzipped: Readable,
  columns?: readonly string[],
): AsyncGenerator<Record<string, unknown>> {
  // pipeline, not pipe: a read error reaches the consumer, and an early stop closes the file.
  const lines = readLines(pipelineCb(gzipped, createGunzip(), () => undefined));
  for await (const line of lines) {
    const value = JSON.parse(line) as Record<string, unknown> | unknown[];
    yield Array.isArray(value) ? rowRecord(value, columns) : value;
  }
}

/** A row line's values as the record keyed by the window's column names. */
export function rowRecord(
  values: unknown[],
  columns: readonly string[] | undefined,
): Record<string, unknown> {
  if (!columns || columns.length !== values.length) {
    throw new Error(
      `the window file holds a row of ${values.length} values but its state lists ${columns?.length ?? 0} columns`,
    );
  }
  const record: Record<string, unknown> = {};
  for (let i = 0; i < values.length; i += 1) record[columns[i]] = values[i];
  return record;
}

/** De-duplication keys (`key`; `id` by default) of a committed window, for the seen-set. */
export async function* readWindowIds(
  gzipped: Readable,
  key = 'id',
  columns?: readonly string[],
): AsyncGenerator<string> {
  for await (const record of readWindowRecords(gzipped, columns)) yield String(record[key]);
}

async function* readLines(stream: Readable): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const text = rest + decoder.write(chunk);
    const lines = text.split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) if (line !== '') yield line;
  }
  rest += decoder.end();
  if (rest !== '') yield rest;
}
