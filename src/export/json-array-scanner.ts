import { isAscii } from 'node:buffer';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
/** Between two objects of a compact array: where the fast path guesses an element ends. */
const OBJECT_SEPARATOR = Buffer.from('},{');

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

/** No element in progress. */
const NONE = -1;
/** The element in progress began in an earlier chunk (its bytes so far are the carry). */
const IN_CARRY = -2;

/** Largest single element accepted; a bigger one is a broken or hostile download. */
export const DEFAULT_MAX_ELEMENT_BYTES = 16 * 1024 * 1024;

/**
 * A chunk-level streaming parser for one top-level JSON array. It scans bytes tracking only
 * string/escape state and bracket depth to find where each element ends, then hands that slice
 * to `JSON.parse` — an order of magnitude faster than a token-level streaming parser, and memory
 * stays at one element plus one chunk. Elements may be split across chunks anywhere (even
 * inside a multi-byte UTF-8 character). Anything that is not exactly one array throws
 * JsonArrayParseError, as does `end()` before the closing bracket.
 *
 * Fast path for compact arrays of objects: at an object's opening brace it jumps (natively) to
 * the next `},{` and tries `JSON.parse` on the slice up to that `}`. The slice is then exactly
 * one element, or it does not parse: a `},{` that is not the boundary lies inside a string or
 * inside a nested array, and a prefix of a JSON value cut there leaves a string or a bracket
 * open. When it does not parse, the byte scan below takes over for that element, so results and
 * error messages are those of the byte scan alone.
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
  /** The chunk being scanned is plain ASCII, so latin1 decoding (faster) gives the same text. */
  private ascii = false;
  /** The bytes of the element being handled: `source[sourceStart..sourceEnd)`, valid only during the handler. */
  source: Buffer = Buffer.alloc(0);
  sourceStart = 0;
  sourceEnd = 0;

  constructor(private readonly maxElementBytes = DEFAULT_MAX_ELEMENT_BYTES) {}

  /** Elements emitted so far. */
  get elements(): number {
    return this.count;
  }

  push(chunk: Buffer, onElement: ElementHandler): void {
    const carried = this.carry !== null;
    this.ascii = isAscii(chunk);
    this.bufBase = this.consumed;
    let i = 0;
    if (this.phase === 'before') i = this.skipPrefix(chunk, i);
    const elStart =
      this.phase === 'inArray' ? this.scan(chunk, i, carried ? IN_CARRY : NONE, onElement) : NONE;
    if (this.phase === 'after') this.checkTrailing(chunk, this.afterIndex);
    const carry = this.carry;
    this.carry = null;
    if (elStart !== NONE) {
      const size =
        elStart === IN_CARRY ? (carry?.length ?? 0) + chunk.length : chunk.length - elStart;
      if (size > this.maxElementBytes) {
        throw this.error(`an array element exceeds ${this.maxElementBytes} bytes`);
      }
      // Only the unfinished element is copied (joined to the carry when it spans the chunk).
      this.carry =
        elStart === IN_CARRY && carry
          ? Buffer.concat([carry, chunk])
          : Buffer.from(chunk.subarray(elStart));
    }
    this.consumed += chunk.length;
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
   * Scans from `from`; returns where the unfinished element starts (NONE if none, IN_CARRY when
   * it began in the carry). `elStart` is where the element in progress began.
   */
  private scan(buf: Buffer, from: number, elStart: number, onElement: ElementHandler): number {
    let { depth, inString, escaped } = this;
    let start = elStart;
    const len = buf.length;
    /** Position of the next `},{` at or after i (-1: none left in this buffer; -2: not looked). */
    let separator = -2;
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
        if (start === NONE) start = i;
      } else if (b === OPEN_BRACE || b === OPEN_BRACKET) {
        if (b === OPEN_BRACE && start === NONE && depth === 0 && separator !== -1) {
          if (separator < i) separator = buf.indexOf(OBJECT_SEPARATOR, i);
          if (separator >= 0 && this.emitWhole(buf, i, separator + 1, onElement)) {
            // Resume at the comma: the next round looks at the following object's brace.
            i = separator + 1;
            this.needElement = true;
            continue;
          }
        }
        depth += 1;
        if (start === NONE) start = i;
      } else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
        if (depth > 0) {
          depth -= 1;
          continue;
        }
        if (b === CLOSE_BRACE) throw this.error('unbalanced "}"', i);
        this.finishArray(buf, start, i, onElement);
        start = NONE;
        this.afterIndex = i + 1;
        break;
      } else if (b === COMMA) {
        if (depth > 0) continue;
        if (start === NONE) throw this.error('missing array element before ","', i);
        this.emit(buf, start, i, onElement);
        start = NONE;
        this.needElement = true;
      } else if (start === NONE && !isWhitespace(b)) {
        start = i;
      }
    }
    this.depth = depth;
    this.inString = inString;
    this.escaped = escaped;
    return start;
  }

  private finishArray(buf: Buffer, start: number, at: number, onElement: ElementHandler): void {
    if (start !== NONE) this.emit(buf, start, at, onElement);
    else if (this.needElement) throw this.error('trailing "," before "]"', at);
    this.phase = 'after';
  }

  /** The fast path: emits buf[start..end) if it parses on its own; false (nothing done) if not. */
  private emitWhole(buf: Buffer, start: number, end: number, onElement: ElementHandler): boolean {
    const text = buf.toString(this.ascii ? 'latin1' : 'utf8', start, end);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      // Not a boundary after all: the byte scan finds the element's real end (or its error).
      return false;
    }
    this.count += 1;
    this.source = buf;
    this.sourceStart = start;
    this.sourceEnd = end;
    onElement(value, text);
    return true;
  }

  /** Emits buf[start..end) trimmed; `start` IN_CARRY: the element began in the carry. */
  private emit(chunk: Buffer, start: number, end: number, onElement: ElementHandler): void {
    const carry = start === IN_CARRY ? this.carry : null;
    // An element finished in this chunk after starting in an earlier one: join just its bytes.
    const buf = carry ? Buffer.concat([carry, chunk.subarray(0, end)]) : chunk;
    const from = carry ? 0 : start;
    let stop = carry ? buf.length : end;
    while (stop > from && isWhitespace(buf[stop - 1])) stop -= 1;
    const text = buf.toString(this.ascii && !carry ? 'latin1' : 'utf8', from, stop);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw this.error(
        `invalid JSON in array element ${this.count + 1}: ${(err as Error).message}`,
        carry ? -carry.length : start,
      );
    }
    this.count += 1;
    this.needElement = false;
    this.source = buf;
    this.sourceStart = from;
    this.sourceEnd = stop;
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
