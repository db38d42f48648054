const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

function isWhitespace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

/** Whether buf[from..end) ends with an odd run of backslashes (the next byte is escaped). */
function endsWithOddBackslashes(buf: Buffer, from: number, end: number): boolean {
  let n = 0;
  for (let j = end - 1; j >= from && buf[j] === BACKSLASH; j -= 1) n += 1;
  return n % 2 === 1;
}

/** The download is not a well-formed JSON array (malformed, truncated or the wrong shape). */
export class JsonArrayParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonArrayParseError';
  }
}

/** Called once per top-level element: its parsed value and its exact source text. */
export type ElementHandler = (value: unknown, text: string) => void;

type Phase = 'before' | 'inArray' | 'after';

/** Largest single element accepted; a bigger one is a broken or hostile download. */
export const DEFAULT_MAX_ELEMENT_BYTES = 16 * 1024 * 1024;

/**
 * A chunk-level streaming parser for one top-level JSON array. It scans bytes tracking only
 * string/escape state and bracket depth to find where each element ends, then hands that slice
 * to `JSON.parse` — an order of magnitude faster than a token-level streaming parser, and memory
 * stays at one element plus one chunk. Elements may be split across chunks anywhere (even
 * inside a multi-byte UTF-8 character). Anything that is not exactly one array throws
 * JsonArrayParseError, as does `end()` before the closing bracket.
 */
export class JsonArrayScanner {
  private phase: Phase = 'before';
  /** Bytes of the element in progress, carried over from earlier chunks. */
  private carry: Buffer | null = null;
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** A comma was seen, so another element must follow before `]`. */
  private needElement = false;
  private consumed = 0;
  /** Stream offset of the current buffer's first byte, for error messages. */
  private bufBase = 0;
  /** Where to resume checking for trailing garbage once the array is closed. */
  private afterIndex = 0;
  private count = 0;

  constructor(private readonly maxElementBytes = DEFAULT_MAX_ELEMENT_BYTES) {}

  /** Elements emitted so far. */
  get elements(): number {
    return this.count;
  }

  push(chunk: Buffer, onElement: ElementHandler): void {
    const carried = this.carry?.length ?? 0;
    const buf = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = null;
    this.bufBase = this.consumed - carried;
    let i = carried;
    if (this.phase === 'before') i = this.skipPrefix(buf, i);
    const elStart =
      this.phase === 'inArray' ? this.scan(buf, i, carried > 0 ? 0 : -1, onElement) : -1;
    if (this.phase === 'after') this.checkTrailing(buf, this.afterIndex);
    if (elStart >= 0) {
      if (buf.length - elStart > this.maxElementBytes) {
        throw this.error(`an array element exceeds ${this.maxElementBytes} bytes`);
      }
      this.carry = Buffer.from(buf.subarray(elStart));
    }
    this.consumed += buf.length - carried;
  }

  /** Declares the input complete; throws if the array was never closed. */
  end(): void {
    if (this.phase === 'before') throw this.error('empty input: expected a JSON array');
    if (this.phase === 'inArray') throw this.error('truncated input: the JSON array is not closed');
  }

  /** Skips whitespace (and a UTF-8 BOM) up to the opening bracket. */
  private skipPrefix(buf: Buffer, from: number): number {
    let i = from;
    if (this.consumed === 0 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) i = 3;
    for (; i < buf.length; i += 1) {
      const b = buf[i];
      if (isWhitespace(b)) continue;
      if (b !== OPEN_BRACKET) throw this.error('not a JSON array', i);
      this.phase = 'inArray';
      return i + 1;
    }
    return i;
  }

  /**
   * Scans from `from`; returns where the unfinished element starts (-1 if none). `elStart` is
   * where the element in progress began (0 when it was carried over).
   */
  private scan(buf: Buffer, from: number, elStart: number, onElement: ElementHandler): number {
    let { depth, inString, escaped } = this;
    let start = elStart;
    const len = buf.length;
    let i = from;
    for (; i < len; i += 1) {
      const b = buf[i];
      if (inString) {
        if (escaped) {
          escaped = false;
          continue;
        }
        // Jump to the next quote natively instead of stepping byte by byte: most of a record's
        // bytes are inside strings.
        const q = buf.indexOf(QUOTE, i);
        if (q < 0) {
          escaped = endsWithOddBackslashes(buf, i, len);
          i = len;
          break;
        }
        if (endsWithOddBackslashes(buf, i, q)) {
          i = q;
          continue;
        }
        inString = false;
        i = q;
        continue;
      }
      if (b === QUOTE) {
        inString = true;
        if (start < 0) start = i;
      } else if (b === OPEN_BRACE || b === OPEN_BRACKET) {
        depth += 1;
        if (start < 0) start = i;
      } else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
        if (depth > 0) {
          depth -= 1;
          continue;
        }
        if (b === CLOSE_BRACE) throw this.error('unbalanced "}"', i);
        this.finishArray(buf, start, i, onElement);
        start = -1;
        this.afterIndex = i + 1;
        break;
      } else if (b === COMMA) {
        if (depth > 0) continue;
        if (start < 0) throw this.error('missing array element before ","', i);
        this.emit(buf, start, i, onElement);
        start = -1;
        this.needElement = true;
      } else if (start < 0 && !isWhitespace(b)) {
        start = i;
      }
    }
    this.depth = depth;
    this.inString = inString;
    this.escaped = escaped;
    return start;
  }

  private finishArray(buf: Buffer, start: number, at: number, onElement: ElementHandler): void {
    if (start >= 0) this.emit(buf, start, at, onElement);
    else if (this.needElement) throw this.error('trailing "," before "]"', at);
    this.phase = 'after';
  }

  private emit(buf: Buffer, start: number, end: number, onElement: ElementHandler): void {
    let stop = end;
    while (stop > start && isWhitespace(buf[stop - 1])) stop -= 1;
    const text = buf.toString('utf8', start, stop);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw this.error(
        `invalid JSON in array element ${this.count + 1}: ${(err as Error).message}`,
        start,
      );
    }
    this.count += 1;
    this.needElement = false;
    onElement(value, text);
  }

  private checkTrailing(buf: Buffer, from: number): void {
    for (let i = from; i < buf.length; i += 1) {
      if (!isWhitespace(buf[i])) throw this.error('unexpected data after the JSON array', i);
    }
    this.afterIndex = 0;
  }

  private error(message: string, index?: number): JsonArrayParseError {
    const at = index === undefined ? '' : ` (near byte ${this.bufBase + index})`;
    return new JsonArrayParseError(`${message}${at}`);
  }
}
