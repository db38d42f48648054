import { isUtf8 } from 'node:buffer';
import { type Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { CompactKeySet } from '../common/collections/compact-key-set';
import {
  endsArrayBuffer,
  ownsArrayBuffer,
  releaseArrayBuffer,
} from '../common/collections/release-buffer';
import type { ExportCounts } from './export.types';
import { JsonArrayScanner } from './json-array-scanner';
import { RecordFilter } from './record-validator';
import { drained } from '../common/streams/drained';
import { WriteAhead } from '../common/streams/write-ahead';

/** Too large an inflated download: refused before it fills the disk. */
export class DownloadTooLargeError extends Error {
  constructor(maxBytes: number) {
    super(`the download inflates beyond EXPORT_MAX_DECOMPRESSED_BYTES (${maxBytes} bytes)`);
    this.name = 'DownloadTooLargeError';
  }
}

export interface WindowScanOptions {
  /** Content-Type or Content-Encoding said gzip (the magic bytes are checked as well). */
  gzipHeader: boolean;
  maxDecompressedBytes: number;
  /** Ids committed by earlier windows, read only. */
  committed: CompactKeySet | null;
  /** The body's Content-Length when known: sizes the id table once, early, instead of growing it. */
  bodyBytes?: number;
}

export interface WindowScanResult {
  counts: ExportCounts;
  ids: CompactKeySet;
}

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;
export const CHUNK_BYTES = 256 * 1024;
const NEWLINE = 0x0a;
const COMMA = 0x2c;
/**
 * NDJSON chunks on their way to the host (see WriteAhead): it gzips one while the next waits
 * and this thread scans a third, instead of the two taking turns.
 */
const OUTPUT_DEPTH = 3;
/**
 * gunzip hands out its output chunks one by one, up to four ahead: in byte mode a read joins
 * whatever is buffered into a new buffer (a copy of the whole download, chunk by chunk).
 */
const INFLATE_AHEAD = { readableObjectMode: true, readableHighWaterMark: 4 };
/** Inflated bytes scanned before the records-per-byte rate is trusted for the size hint. */
const ESTIMATE_AFTER_BYTES = 32 * 1024 * 1024;
/** Room beyond the estimate: inflated output not scanned yet makes it a few % low. */
const ESTIMATE_MARGIN = 1.08;
const MAX_RESERVED_IDS = 50_000_000;

/**
 * One window's download from raw body bytes to NDJSON on `output`: inflate when gzip (by header
 * or magic bytes) under the inflated-size cap, split the JSON array, validate and dedupe each
 * record (RecordFilter) and write the survivors one per line (the host gzips them). This is the
 * CPU-heavy part of an export; the scan worker runs it off the main thread. Errors are
 * those of the streams (zlib `Z_*` codes, JsonArrayParseError, DownloadTooLargeError).
 */
export async function scanWindow(
  body: AsyncIterable<Buffer>,
  options: WindowScanOptions,
  output: Writable,
): Promise<WindowScanResult> {
  const filter = new RecordFilter(options.committed);
  const lines = new NdjsonLines(filter);
  const queue = new WriteAhead(output, OUTPUT_DEPTH);
  const progress: BodyProgress = { bodyBytes: 0, inflatedBytes: 0 };
  let sized = !options.bodyBytes;
  try {
    const chunks = decodedBody(body, options, progress);
    for await (const chunk of chunks) {
      const out = lines.push(chunk);
      // Scanned, in order: nothing reads this chunk's buffer any more once its last slice is
      // done, and the GC would free it late (see releaseArrayBuffer).
      if (endsArrayBuffer(chunk)) releaseArrayBuffer(chunk.buffer as ArrayBuffer);
      if (!sized && progress.inflatedBytes >= ESTIMATE_AFTER_BYTES) {
        sized = true;
        reserveIds(filter, progress, options.bodyBytes ?? 0);
      }
      if (out.length === 0) continue;
      // Taken means the bytes were copied or moved: the buffer can be filled again.
      await queue.write(out, () => lines.recycle(out));
    }
    lines.end();
    output.end();
    await finished(output);
  } catch (err) {
    output.destroy();
    throw err;
  }
  return { counts: filter.counts, ids: filter.ids };
}

/**
 * The valid, unique records of each chunk as NDJSON bytes. A record's source text is kept
 * verbatim unless it spans lines (NDJSON needs one per line; it is re-serialised then). Verbatim
 * means the UTF-8 of the decoded text: the source bytes are copied as they are when they are
 * valid UTF-8 (then they are that encoding), re-encoded from the text otherwise. Output buffers
 * come back through `recycle` once written, so a whole export reuses two or three of them
 * instead of leaving a garbage buffer per chunk for the GC (and the allocator) to deal with.
 */
export class NdjsonLines {
  private readonly scanner = new JsonArrayScanner();
  private readonly spare: Buffer[] = [];
  private out: Buffer = Buffer.alloc(0);
  private length = 0;
  private checked: Buffer | null = null;
  private sourceIsUtf8 = false;
  /**
   * Consecutive records of a compact array are one run of source bytes with a comma between
   * each: copied in one go, the commas then turned into line breaks.
   */
  private run: Buffer | null = null;
  private runStart = 0;
  private runEnd = 0;
  private readonly runCommas: number[] = [];

  constructor(private readonly filter: RecordFilter) {}

  /** This chunk's lines; the result is valid until it is handed back with `recycle`. */
  push(chunk: Buffer): Buffer {
    const want = chunk.length + (chunk.length >> 3) + 64;
    const spare = this.spare.pop();
    // Never from Node's shared pool: a recycled buffer is rebuilt from its whole ArrayBuffer.
    this.out = spare && spare.length >= want ? spare : Buffer.allocUnsafeSlow(want);
    this.length = 0;
    this.scanner.push(chunk, (value, text) => {
      const record = this.filter.accept(value);
      if (!record) return;
      if (text.includes('\n') || text.includes('\r')) this.writeText(JSON.stringify(record));
      else this.writeSource(text);
    });
    this.flushRun();
    const lines = this.out.subarray(0, this.length);
    if (lines.length === 0) this.recycle(lines);
    return lines;
  }

  /** Gives back a buffer `push` returned, once nothing reads it any more. */
  recycle(lines: Buffer): void {
    // Moved to another thread whole: nothing left here to reuse.
    if (lines.buffer.byteLength === 0) return;
    if (this.spare.length < 2) this.spare.push(Buffer.from(lines.buffer));
  }

  end(): void {
    this.scanner.end();
  }

  private writeSource(text: string): void {
    const { source, sourceStart, sourceEnd } = this.scanner;
    if (source !== this.checked) {
      this.checked = source;
      this.sourceIsUtf8 = isUtf8(source);
    }
    if (!this.sourceIsUtf8) return this.writeText(text);
    if (source === this.run && sourceStart === this.runEnd + 1 && source[this.runEnd] === COMMA) {
      this.runCommas.push(this.runEnd);
      this.runEnd = sourceEnd;
      return;
    }
    this.flushRun();
    this.run = source;
    this.runStart = sourceStart;
    this.runEnd = sourceEnd;
  }

  private flushRun(): void {
    const { run, runStart } = this;
    if (!run) return;
    this.run = null;
    const at = this.length;
    this.reserve(this.runEnd - runStart + 1);
    this.length += run.copy(this.out, at, runStart, this.runEnd);
    for (const comma of this.runCommas) this.out[at + comma - runStart] = NEWLINE;
    this.runCommas.length = 0;
    this.out[this.length++] = NEWLINE;
  }

  private writeText(text: string): void {
    this.flushRun();
    this.reserve(Buffer.byteLength(text) + 1);
    this.length += this.out.write(text, this.length, 'utf8');
    this.out[this.length++] = NEWLINE;
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.out.length) return;
    const bigger = Buffer.allocUnsafeSlow(Math.max(this.out.length * 2, this.length + bytes));
    this.out.copy(bigger, 0, 0, this.length);
    this.out = bigger;
  }
}

interface BodyProgress {
  /** Body bytes gunzip has taken in (or, when plain, handed to the scan). */
  bodyBytes: number;
  inflatedBytes: number;
}

/**
 * Records so far per body byte, times the body's length: how many ids the window will bring.
 * Sizing the table for them now replaces the later growths (each briefly holding the old and
 * the new slots: 16 + 25 MB for the last one at a million ids) with one early allocation.
 */
function reserveIds(filter: RecordFilter, progress: BodyProgress, bodyBytes: number): void {
  if (progress.bodyBytes === 0 || bodyBytes <= progress.bodyBytes) return;
  const estimate = (filter.counts.received * bodyBytes) / progress.bodyBytes;
  filter.ids.reserve(Math.min(MAX_RESERVED_IDS, Math.ceil(estimate * ESTIMATE_MARGIN)));
}

/** The body as raw JSON bytes: inflated when gzip, never more than `maxDecompressedBytes`. */
async function* decodedBody(
  body: AsyncIterable<Buffer>,
  options: WindowScanOptions,
  progress: BodyProgress,
): AsyncGenerator<Buffer> {
  const maxBytes = options.maxDecompressedBytes;
  const source = body[Symbol.asyncIterator]();
  const head = await readHead(source);
  const replay = async function* (): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    for (let next = await source.next(); !next.done; next = await source.next()) yield next.value;
  };
  const gzip = options.gzipHeader || (head[0] === GZIP_MAGIC_0 && head[1] === GZIP_MAGIC_1);
  const bytes: AsyncIterable<Buffer> = gzip
    ? inflate(replay(), progress)
    : counted(replay(), progress);
  for await (const chunk of bytes) {
    progress.inflatedBytes += chunk.length;
    if (progress.inflatedBytes > maxBytes) throw new DownloadTooLargeError(maxBytes);
    yield chunk;
  }
}

/** A plain body: each chunk counts as consumed when it is handed on to the scan. */
async function* counted(
  body: AsyncIterable<Buffer>,
  progress: BodyProgress,
): AsyncGenerator<Buffer> {
  for await (const chunk of body) {
    progress.bodyBytes += chunk.length;
    yield chunk;
  }
}

/**
 * Gunzip of `compressed`: each body chunk counts as consumed, and is freed, once zlib has taken
 * it in (its write callback). An error of either side ends the iteration with that error.
 */
function inflate(compressed: AsyncIterable<Buffer>, progress: BodyProgress): AsyncIterable<Buffer> {
  const gunzip = createGunzip({ chunkSize: CHUNK_BYTES, ...INFLATE_AHEAD });
  const feed = async (): Promise<void> => {
    for await (const chunk of compressed) {
      if (gunzip.destroyed) return;
      const owned = ownsArrayBuffer(chunk);
      const consumed = (err?: Error | null) => {
        if (err) return;
        progress.bodyBytes += chunk.length;
        if (owned) releaseArrayBuffer(chunk.buffer as ArrayBuffer);
      };
      if (!gunzip.write(chunk, consumed)) await drained(gunzip);
    }
    gunzip.end();
  };
  feed().catch((err: unknown) => gunzip.destroy(err as Error));
  return gunzip;
}

/** Reads until at least two bytes (enough for the gzip magic) or the end of the body. */
async function readHead(source: AsyncIterator<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  let length = 0;
  while (length < 2) {
    const next = await source.next();
    if (next.done) break;
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    parts.push(chunk);
    length += chunk.length;
  }
  return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}
