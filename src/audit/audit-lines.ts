import type { AuditRecord } from './audit.types';

const NEWLINE = 0x0a;
/** The first buffer of a batch being written; it doubles as the batch grows. */
const INITIAL_BYTES = 16 * 1024;

/**
 * Audit records as JSON lines, in memory outside the JavaScript heap. A record is serialised
 * the moment it is made and the object dies young: kept as objects, every record of the last
 * 100 ms batch and of the in-memory trail survived the young-generation collections and was
 * copied into the old generation, which made each collection under load several times dearer
 * (docs/bench.md, row 1). Bytes in a Buffer are never copied or scanned by the collector. They
 * are also what the file and the Redis stream store, so nothing is serialised twice.
 */
export class AuditLines {
  constructor(
    /** The JSONL bytes, each line ending in `\n`. */
    readonly bytes: Buffer,
    readonly count: number,
  ) {}

  static readonly empty = new AuditLines(Buffer.alloc(0), 0);

  static of(records: readonly AuditRecord[]): AuditLines {
    const writer = new AuditLineWriter();
    for (const record of records) writer.add(record);
    return writer.take();
  }

  /** Whole lines of a JSONL text that parse (what a file holds); `skipped` counts the others. */
  static parse(text: string): { lines: AuditLines; skipped: number } {
    const writer = new AuditLineWriter();
    let skipped = 0;
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        writer.add(JSON.parse(line) as AuditRecord);
      } catch {
        skipped++;
      }
    }
    return { lines: writer.take(), skipped };
  }

  /** Each line as a string, oldest first (a Redis stream entry per record). */
  texts(): string[] {
    const out: string[] = [];
    let start = 0;
    for (
      let end = this.bytes.indexOf(NEWLINE);
      end !== -1;
      end = this.bytes.indexOf(NEWLINE, start)
    ) {
      out.push(this.bytes.toString('utf8', start, end));
      start = end + 1;
    }
    return out;
  }

  /** The records, newest (last written) first, parsed one at a time as they are asked for. */
  *newestFirst(): Generator<AuditRecord> {
    let end = this.bytes.length - 1; // the last line's newline
    while (end > 0) {
      const start = this.bytes.lastIndexOf(NEWLINE, end - 1) + 1;
      yield JSON.parse(this.bytes.toString('utf8', start, end)) as AuditRecord;
      end = start - 1;
    }
  }
}

/** The batch being filled: records go in as JSON lines; `take` seals them into AuditLines. */
export class AuditLineWriter {
  private buffer: Buffer | undefined;
  private used = 0;
  private lines = 0;

  get count(): number {
    return this.lines;
  }

  add(record: AuditRecord): void {
    const line = auditLine(record);
    // UTF-8 needs at most 3 bytes per UTF-16 unit, plus the newline.
    const buffer = this.room(line.length * 3 + 1);
    this.used += buffer.write(line, this.used);
    this.endLine(buffer);
  }

  /** The line of `template`'s record with these three facts: what `add` would write for it. */
  addFrom(template: AuditLineTemplate, time: string, requestId: string, latencyMs: number): void {
    const head = lineHead(time, requestId);
    const latency = latencyText(latencyMs);
    // The latency's text is ASCII (a JSON number or null).
    const buffer = this.room(head.length * 3 + template.fixedBytes + latency.length + 1);
    this.used += template.writeInto(buffer, this.used, head, latency);
    this.endLine(buffer);
  }

  private room(bytes: number): Buffer {
    if (!this.buffer || this.used + bytes > this.buffer.length) this.grow(bytes);
    return this.buffer as Buffer;
  }

  private endLine(buffer: Buffer): void {
    buffer[this.used++] = NEWLINE;
    this.lines++;
  }

  /** The lines written so far, in a buffer of their exact size; the writer starts empty again. */
  take(): AuditLines {
    if (!this.buffer || this.lines === 0) return AuditLines.empty;
    // A copy of exactly the bytes used: a batch of one record must not hold a 16 KiB buffer
    // for as long as the in-memory trail keeps it.
    const bytes = Buffer.allocUnsafeSlow(this.used);
    this.buffer.copy(bytes, 0, 0, this.used);
    const sealed = new AuditLines(bytes, this.lines);
    this.used = 0;
    this.lines = 0;
    return sealed;
  }

  private grow(room: number): void {
    let size = this.buffer?.length ?? INITIAL_BYTES;
    while (size < this.used + room) size *= 2;
    const next = Buffer.allocUnsafeSlow(size);
    this.buffer?.copy(next, 0, 0, this.used);
    this.buffer = next;
  }
}

/** Text JSON.stringify would write as is between quotes (no quote, backslash, control or surrogate). */
// eslint-disable-next-line no-control-regex -- control characters are what must be escaped
const PLAIN_TEXT = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

function quoted(text: string): string {
  return PLAIN_TEXT.test(text) ? `"${text}"` : JSON.stringify(text);
}

/** The fields auditLine writes; compiling fails here when AuditRecord gains one it does not. */
type WrittenFields =
  | 'time'
  | 'requestId'
  | 'actor'
  | 'ip'
  | 'method'
  | 'route'
  | 'action'
  | 'targets'
  | 'status'
  | 'outcome'
  | 'latencyMs'
  | 'cache'
  | 'detail';
const everyFieldWritten: Exclude<keyof AuditRecord, WrittenFields> extends never ? true : never =
  true;
void everyFieldWritten;

/**
 * `JSON.stringify(record)` for a record with its fields in AuditRecord's order (as buildRecord
 * makes them), written field by field: twice as fast as the generic serialiser on the hit path,
 * and the same text (plain strings are quoted as they are, anything else goes through
 * JSON.stringify; the audit-lines spec compares the two).
 */
export function auditLine(r: AuditRecord): string {
  return lineHead(r.time, r.requestId) + factsToLatency(r) + latencyText(r.latencyMs) + lineTail(r);
}

/** `{"time":…,"requestId":…`: the facts that change on every line. */
function lineHead(time: string, requestId: string): string {
  return `{"time":${quoted(time)},"requestId":${quoted(requestId)}`;
}

/** From the caller to `"latencyMs":`, the latency's value left out. */
function factsToLatency(r: AuditRecord): string {
  return (
    `${callerAndRoute(r)},"targets":${JSON.stringify(r.targets)}` +
    `,"status":${JSON.stringify(r.status)},"outcome":${quoted(r.outcome)},"latencyMs":`
  );
}

function latencyText(latencyMs: number): string {
  return JSON.stringify(latencyMs);
}

/** What follows the latency: the cache and the detail when there are, and the closing brace. */
function lineTail(r: AuditRecord): string {
  let tail = '';
  if (r.cache !== undefined) tail += `,"cache":${quoted(r.cache)}`;
  if (r.detail !== undefined) tail += `,"detail":${JSON.stringify(r.detail)}`;
  return tail + '}';
}

/**
 * The line of a record with its time, request id and latency left open: the parts of
 * `auditLine` that stay the same while one caller polls one route (its key, address, route,
 * body, status and cache result unchanged), serialised and encoded once. A cache hit's line
 * is then those bytes with the three facts written in between (`AuditLineWriter.addFrom`):
 * the same bytes `auditLine` writes, without building and encoding the whole text each time.
 */
export class AuditLineTemplate {
  private readonly middle: Buffer;
  private readonly tail: Buffer;

  /** `record`'s time, request id and latency are placeholders; every other field is kept. */
  constructor(readonly record: AuditRecord) {
    this.middle = Buffer.from(factsToLatency(record));
    this.tail = Buffer.from(lineTail(record));
  }

  /** The record this template writes, with the three facts filled in. */
  recordWith(time: string, requestId: string, latencyMs: number): AuditRecord {
    return { ...this.record, time, requestId, latencyMs };
  }

  /** Writes the line into `buffer` at `at` (room checked by the caller); returns its length. */
  writeInto(buffer: Buffer, at: number, head: string, latency: string): number {
    let end = at + buffer.write(head, at);
    end += this.middle.copy(buffer, end);
    end += buffer.write(latency, end, 'latin1');
    end += this.tail.copy(buffer, end);
    return end - at;
  }

  /** Bytes a line can take beyond its head's and latency's text. */
  get fixedBytes(): number {
    return this.middle.length + this.tail.length;
  }
}

/** The last line's caller and route fields, and their text: one caller polling one route. */
const lastCallerAndRoute = {
  actor: undefined as string | null | undefined,
  ip: '',
  method: '',
  route: '',
  action: '',
  text: '',
};

/** `,"actor":…,"ip":…,"method":…,"route":…,"action":…`, written again only when one changed. */
function callerAndRoute(r: AuditRecord): string {
  const last = lastCallerAndRoute;
  if (
    r.actor !== last.actor ||
    r.ip !== last.ip ||
    r.method !== last.method ||
    r.route !== last.route ||
    r.action !== last.action
  ) {
    ({ actor: last.actor, ip: last.ip, method: last.method, route: last.route } = r);
    last.action = r.action;
    last.text =
      `,"actor":${r.actor === null ? 'null' : quoted(r.actor)},"ip":${quoted(r.ip)}` +
      `,"method":${quoted(r.method)},"route":${quoted(r.route)},"action":${quoted(r.action)}`;
  }
  return last.text;
}
