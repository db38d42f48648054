import type { JsonBodyParse } from '../common/http/json-body-parser';
import { BoundedMap } from '../common/concurrency/bounded-map';

/** Bodies this long or shorter are remembered: a dashboard's query, not an upload. */
export const MAX_MEMO_BODY_BYTES = 2 * 1024;
/** Distinct bodies remembered (least recently used go first): ≤ 2 × 2 KiB × 256 of text. */
const MAX_MEMO_ENTRIES = 256;

/** A body that parsed: its value (frozen throughout) and that value as JSON.stringify writes it. */
export interface ParsedBody {
  readonly value: unknown;
  readonly json: string;
}

/**
 * The small JSON bodies the replay before the router parsed lately, by their exact bytes. A
 * dashboard posts the same body every few seconds, and reading it again — the UTF-8 and depth
 * checks, secure-json-parse, then `JSON.stringify` for the route's signature — was ≈ 10 % of a
 * POST hit's CPU. Equal bytes parse to equal values, so a remembered body is answered with the
 * value it parsed to. Only bodies that parsed are kept (a refused one is parsed, and refused,
 * by the normal route every time), and the value is frozen throughout: every request that
 * sends those bytes reads the same object, and none can change it for the next.
 */
export class ParsedBodyMemo {
  private readonly bodies = new BoundedMap<string, ParsedBody>(MAX_MEMO_ENTRIES);

  constructor(private readonly parse: JsonBodyParse) {}

  /** The body's value, from memory or parsed now; undefined when it does not parse. */
  read(body: Buffer): ParsedBody | undefined {
    if (body.length > MAX_MEMO_BODY_BYTES) return this.parsed(body);
    // One character per byte: two keys are equal exactly when the bytes are.
    const key = body.toString('latin1');
    const known = this.bodies.get(key);
    if (known !== undefined) return known;
    const parsed = this.parsed(body);
    if (parsed !== undefined) this.bodies.set(key, parsed);
    return parsed;
  }

  private parsed(body: Buffer): ParsedBody | undefined {
    const result = this.parse(body);
    if (!result.ok) return undefined;
    return { value: deepFreeze(result.value), json: JSON.stringify(result.value) };
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
