import { isUtf8 } from 'node:buffer';
import { type Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { CompactKeySet } from '../common/collections/compact-key-set';
import type { ExportCounts } from './export.types';
import { JsonArrayScanner } from './json-array-scanner';
import { RecordFilter } from './record-validator';
import { WriteAhead } from '../common/streams/write-ahead';
import type { ScanInput } from './scan-worker.serve';

export interface WindowScanOptions {
  /** Ids committed by earlier windows, read only. */
  committed: CompactKeySet | null;
  /** The body's Content-Length when known: sizes the id table once, early, instead of growing it. */
  bodyBytes?: number;
}

export interface WindowScanResult {
  counts: ExportCounts;
  ids: CompactKeySet;
}

const NEWLINE = 0x0a;
const COMMA = 0x2c;
/**
 * NDJSON chunks on their way to the host (see WriteAhead): it gzips one while the next waits
 * and this thread scans a third, instead of the two taking turns.
 */
const OUTPUT_DEPTH = 3;
/** Plain bytes scanned before the records-per-byte rate is trusted for the size hint. */
const ESTIMATE_AFTER_BYTES = 32 * 1024 * 1024;
/** Room beyond the estimate: body read ahead of the bytes scanned makes it a few % low. */
const ESTIMATE_MARGIN = 1.08;
const MAX_RESERVED_IDS = 50_000_000;

/**
 * One window's download from plain JSON bytes (the host inflated a gzip body) to NDJSON on
 * `output`: split the JSON array, validate and dedupe each record (RecordFilter) and write the
 * survivors one per line (the host gzips them). This is the CPU-heavy part of an export; the
 * scan worker runs it off the main thread. Errors are JsonArrayParseError and the output's.
 */
export async function scanWindow(
  body: ScanInput,
  options: WindowScanOptions,
  output: Writable,
): Promise<WindowScanResult> {
  const filter = new RecordFilter(options.committed);
  const lines = new NdjsonLines(filter);
  const queue = new WriteAhead(output, OUTPUT_DEPTH);
  let scannedBytes = 0;
  let sized = !options.bodyBytes;
  try {
    for await (const chunk of body) {
      scannedBytes += chunk.length;
      const out = lines.push(chunk);
      // Scanned: the scanner copies what it keeps of a chunk (an unfinished element).
      body.release(chunk);
      if (!sized && scannedBytes >= ESTIMATE_AFTER_BYTES) {
        sized = true;
        reserveIds(filter, body.bodyBytes, options.bodyBytes ?? 0);
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

/**
 * Records so far per body byte read, times the body's length: how many ids the window will
 * bring. Sizing the table for them now replaces the later growths (each briefly holding the old
 * and the new slots: 16 + 25 MB for the last one at a million ids) with one early allocation.
 */
function reserveIds(filter: RecordFilter, readBytes: number, bodyBytes: number): void {
  if (readBytes === 0 || bodyBytes <= readBytes) return;
  const estimate = (filter.counts.received * bodyBytes) / readBytes;
  filter.ids.reserve(Math.min(MAX_RESERVED_IDS, Math.ceil(estimate * ESTIMATE_MARGIN)));
}
