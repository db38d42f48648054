import type { ExportEntitySchema, ExportValueType } from '../../../config/app-config.types';
import { WindowDownloadError } from '../../../export/export-pipeline';
import { toInstantMs } from '../normalise/dates';

/** Where the schema's columns sit in one file's header row. */
export interface ColumnPlan {
  /** Record field names, in file order: the header, trimmed, made unique. */
  names: string[];
  /** Whether any column has a declared type (its cells are converted before writing). */
  typed: boolean;
  required: number[];
  key: number;
  /** -1 when the entity has no window column. */
  window: number;
  /** The declared type of each column that is not a plain string, by index. */
  typedAt: (ExportValueType | undefined)[];
}

const norm = (name: string): string => name.trim().toLowerCase();

/**
 * Finds `wanted` in the header: the same name (ignoring case and surrounding blanks), else the
 * first header that starts with it. Column names change with the entity version, and a public
 * client matches them by prefix, so a longer name such as `ACD Call ID (Contact)` still counts.
 */
function findColumn(names: string[], wanted: string): number {
  const target = norm(wanted);
  const exact = names.findIndex((n) => norm(n) === target);
  return exact >= 0 ? exact : names.findIndex((n) => norm(n).startsWith(target));
}

/** Reads a file's header row against the entity schema; a missing key or required column fails. */
export function planColumns(header: string[], schema: ExportEntitySchema): ColumnPlan {
  const seen = new Map<string, number>();
  const names = header.map((raw, i) => {
    const base = raw.trim() === '' ? `Column ${i + 1}` : raw.trim();
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    // JSON objects cannot hold two fields of one name; a repeated header gets a suffix.
    return count === 1 ? base : `${base} (${count})`;
  });
  const locate = (column: string, role: string): number => {
    const at = findColumn(names, column);
    if (at < 0) {
      throw new WindowDownloadError(
        `the CSV header has no ${role} column "${column}" (it has: ${names.join(', ')})`,
      );
    }
    return at;
  };
  const required = schema.required.map((c) => locate(c, 'required'));
  const key = locate(schema.key, 'key');
  const window = schema.windowColumn === null ? -1 : findColumn(names, schema.windowColumn);
  const typedAt: (ExportValueType | undefined)[] = names.map(() => undefined);
  for (const [column, type] of Object.entries(schema.types)) {
    const at = findColumn(names, column);
    if (at >= 0 && type !== 'string') typedAt[at] = type;
  }
  const typed = typedAt.some((t) => t !== undefined);
  return { names, typed, required: [...new Set([...required, key])], key, window, typedAt };
}

const INTEGER = /^-?\d+$/;
const NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/** A cell as its declared type; undefined when it is not one. An empty cell is null. */
export function typedValue(text: string, type: ExportValueType): unknown {
  const value = text.trim();
  if (value === '') return null;
  switch (type) {
    case 'string':
      return text;
    case 'integer': {
      if (!INTEGER.test(value)) return undefined;
      const n = Number(value);
      return Number.isSafeInteger(n) ? n : undefined;
    }
    case 'number':
      return NUMBER.test(value) ? Number(value) : undefined;
    case 'boolean': {
      const lower = value.toLowerCase();
      if (lower === 'true') return true;
      return lower === 'false' ? false : undefined;
    }
  }
}

const US_DATE_TIME =
  /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?\s*(AM|PM)?)?$/i;
/** The date and time parts of an ISO 8601 value, for its precision. */
const ISO_PARTS = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.(\d+))?)?)?/;
/** An ISO 8601 value with a time that names its zone. */
const ISO_ZONE = /[T ]\d{2}:\d{2}.*(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** The farthest real zones from UTC: UTC−12:00 (Baker Island) and UTC+14:00 (Line Islands). */
const MAX_WEST_MS = 12 * HOUR_MS;
const MAX_EAST_MS = 14 * HOUR_MS;

/** A window-column value read as a time. */
export interface CellInstant {
  /** Epoch ms: the value's instant when `zoned`, else its wall-clock time read as if UTC. */
  ms: number;
  /**
   * Whether the value names its zone (`Z` or `±hh:mm`). Without one, the zone is unknown:
   * CXONE-API.md §7.5 documents neither the format nor the zone of `Start Date`, and a value
   * may be the business unit's local time.
   */
  zoned: boolean;
  /** How long the written value spans at its precision: 1 ms … 1 s, 1 min, a day (a date alone). */
  spanMs: number;
}

/**
 * A window-column value as a time, or undefined when it cannot be read. ISO 8601 and the US
 * `M/D/YYYY h:mm[:ss] AM` form of CXone's reports are understood (the US form never names a
 * zone); the real file's format is not documented, so anything else leaves the row unfiltered.
 */
export function cellInstant(text: string): CellInstant | undefined {
  const value = text.trim();
  if (value === '') return undefined;
  const us = US_DATE_TIME.exec(value);
  if (us) {
    const [, mo, d, y, h, mi = '0', s, half] = us;
    let hour = Number(h ?? 0);
    if (half && hour === 12) hour = 0;
    if (half?.toUpperCase() === 'PM') hour += 12;
    const [month, day, minute, second] = [Number(mo), Number(d), Number(mi), Number(s ?? 0)];
    const ms = Date.UTC(Number(y), month - 1, day, hour, minute, second);
    // Date.UTC rolls 13/45 over into another date: such a value is unreadable, never moved.
    const date = new Date(ms);
    const real =
      date.getUTCMonth() === month - 1 &&
      date.getUTCDate() === day &&
      hour < 24 &&
      (!half || (Number(h) >= 1 && Number(h) <= 12)) &&
      minute < 60 &&
      second < 60;
    if (!real) return undefined;
    const spanMs = h === undefined ? DAY_MS : s === undefined ? MINUTE_MS : 1000;
    return { ms, zoned: false, spanMs };
  }
  let ms: number | null;
  try {
    ms = toInstantMs(value, 'date');
  } catch {
    return undefined;
  }
  if (ms === null) return undefined;
  return { ms, zoned: ISO_ZONE.test(value), spanMs: isoSpanMs(value) };
}

/** The span of an ISO 8601 value at its precision (a date alone: a day). */
function isoSpanMs(value: string): number {
  const parts = ISO_PARTS.exec(value);
  if (!parts || parts[0].length === 10) return DAY_MS;
  if (parts[0].length === 16) return MINUTE_MS;
  const fraction = parts[1];
  return fraction === undefined ? 1000 : Math.max(1, 10 ** (3 - fraction.length));
}

/**
 * Whether a row dated `at` may belong to the window [fromMs, toMs). A value that names its zone
 * is one instant: inside or not. A value without one is skipped only when no real UTC offset
 * (−12 h … +14 h) could place it inside: its instant lies somewhere in
 * [ms − 14 h, ms + span + 12 h), so a record of the window is never dropped on a guessed zone
 * (the price: near the window's edges, a neighbouring day's row may be kept).
 */
export function mayLieInWindow(at: CellInstant, fromMs: number, toMs: number): boolean {
  if (at.zoned) return at.ms >= fromMs && at.ms < toMs;
  return at.ms - MAX_EAST_MS < toMs && at.ms + at.spanMs + MAX_WEST_MS > fromMs;
}
