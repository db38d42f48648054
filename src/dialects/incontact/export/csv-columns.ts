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

/**
 * Epoch ms of a window-column value, or undefined when it cannot be read. ISO 8601 (no zone
 * means UTC) and the US `M/D/YYYY h:mm[:ss] AM` form of CXone's reports are understood; the
 * real file's format is not documented, so anything else simply leaves the row unfiltered.
 */
export function cellInstantMs(text: string): number | undefined {
  const value = text.trim();
  if (value === '') return undefined;
  const us = US_DATE_TIME.exec(value);
  if (us) {
    const [, mo, d, y, h = '0', mi = '0', s = '0', half] = us;
    let hour = Number(h);
    if (half && hour === 12) hour = 0;
    if (half?.toUpperCase() === 'PM') hour += 12;
    const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), hour, Number(mi), Number(s));
    return Number.isFinite(ms) ? ms : undefined;
  }
  try {
    return toInstantMs(value, 'date') ?? undefined;
  } catch {
    return undefined;
  }
}
