import { releaseArrayBuffer } from '../../../common/collections/release-buffer';
import type { ColumnPlan } from './csv-columns';
import { rowJson } from './csv-records';

/** Output buffers are this large (or one record's worth, when a record is larger). */
const BUFFER_BYTES = 256 * 1024;
/** A UTF-16 code unit takes at most 3 bytes in UTF-8. */
const MAX_UTF8_PER_UNIT = 3;
const NEWLINE = 0x0a;

/**
 * Checked rows as UTF-8 NDJSON buffers, one row line (csv-records' rowJson) per line, each
 * row's text encoded into the buffer as soon as it is built. Joining the rows' strings into one
 * text per batch and encoding that instead cost about as much as parsing the rows: a rope of
 * ~25 000 pieces flattened (into two-byte text as soon as one name has an accent) and encoded
 * once more. Full buffers wait in `full` for the caller; buffers it gives back (`recycle`) are
 * filled again, so an export reuses a few instead of leaving one per 256 KiB to the GC.
 */
export class NdjsonBytes {
  private out: Buffer = Buffer.allocUnsafeSlow(BUFFER_BYTES);
  private length = 0;
  private readonly spare: Buffer[] = [];
  /** Filled buffers, in order, for the caller to take. */
  readonly full: Buffer[] = [];

  write(row: string[], plan: ColumnPlan): void {
    const json = rowJson(row, plan);
    const bound = json.length * MAX_UTF8_PER_UNIT + 1;
    if (this.length + bound > this.out.length) this.next(bound);
    this.length += this.out.write(json, this.length, 'utf8');
    this.out[this.length++] = NEWLINE;
  }

  /** Moves what was written so far (when anything) to `full`. */
  flush(): void {
    if (this.length === 0) return;
    this.full.push(this.out.subarray(0, this.length));
    this.out = this.spare.pop() ?? Buffer.allocUnsafeSlow(BUFFER_BYTES);
    this.length = 0;
  }

  /** Gives back a buffer taken from `full`, once nothing reads it any more. */
  recycle(buffer: Buffer): void {
    // Moved to another thread whole: nothing left here to reuse or free.
    if (buffer.buffer.byteLength === 0) return;
    const whole = Buffer.from(buffer.buffer);
    if (whole.length === BUFFER_BYTES && this.spare.length < 2) this.spare.push(whole);
    else releaseArrayBuffer(buffer.buffer as ArrayBuffer);
  }

  private next(bound: number): void {
    this.flush();
    if (bound > this.out.length) this.out = Buffer.allocUnsafeSlow(bound);
  }
}
