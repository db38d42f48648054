/**
 * Pure value encodings of the inContact API: how one typed value looks on the wire in each of
 * the styles real tenants and versions have been seen to answer in.
 */

/** `typed`: JSON numbers and booleans (the published spec). `strings`: everything a string (v21). */
export type ValueStyle = 'typed' | 'strings';
/** `json`: true/false. `python`: "True"/"False" (v21 captures). `lowercase`: "true"/"false". */
export type BooleanStyle = 'json' | 'python' | 'lowercase';

/** A number as v21 sends it: the plain decimal text, never an exponent. */
export function numberText(value: number): string {
  if (Number.isInteger(value)) return value.toFixed(0);
  return String(Math.round(value * 1000) / 1000);
}

export function encodeNumber(value: number, style: ValueStyle): number | string {
  return style === 'strings' ? numberText(value) : value;
}

export function encodeBoolean(value: boolean, style: BooleanStyle): boolean | string {
  switch (style) {
    case 'json':
      return value;
    case 'python':
      return value ? 'True' : 'False';
    case 'lowercase':
      return value ? 'true' : 'false';
  }
}

/** Encodes every number and boolean of a flat record; strings, nulls and nested values pass. */
export function encodeRecord(
  record: Record<string, unknown>,
  values: ValueStyle,
  booleans: BooleanStyle,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (typeof value === 'number') out[key] = encodeNumber(value, values);
    else if (typeof value === 'boolean') out[key] = encodeBoolean(value, booleans);
    else out[key] = value;
  }
  return out;
}

const trimZeros = (text: string): string => text.replace(/\.?0+$/, '');

/**
 * An ISO-8601 duration as CXone writes it: `PT0S`, `PT4M24.63S`, `P1DT19H18M29.651S` (days only
 * from 24 h on, seconds with up to millisecond precision, zero parts left out).
 */
export function isoDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  const days = Math.floor(total / 86_400_000);
  let rest = total - days * 86_400_000;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = rest / 1000;
  let time = '';
  if (hours > 0) time += `${hours}H`;
  if (minutes > 0) time += `${minutes}M`;
  if (seconds > 0 || (days === 0 && time === '')) time += `${trimZeros(seconds.toFixed(3))}S`;
  return `P${days > 0 ? `${days}D` : ''}${time === '' ? '' : `T${time}`}`;
}

/** Whole seconds as a string (how `/skills/summary` sends durations at v21: `"101"`). */
export function secondsText(ms: number): string {
  return Math.round(ms / 1000).toFixed(0);
}

/** PascalCase of a key: `skillId` → `SkillId`, `_links` stays `_links`. */
export function pascalKey(key: string): string {
  return key.length === 0 ? key : key[0].toUpperCase() + key.slice(1);
}

/** Renames every key of a value, objects and arrays included, to PascalCase. */
export function pascalKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pascalKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [pascalKey(k), pascalKeys(v)]),
  );
}

/** Keeps only the fields a `fields=a,b` projection names (matched case-insensitively). */
export function projectFields(
  record: Record<string, unknown>,
  fields: readonly string[] | undefined,
): Record<string, unknown> {
  if (fields === undefined || fields.length === 0) return record;
  const wanted = new Set(fields.map((f) => f.toLowerCase()));
  return Object.fromEntries(Object.entries(record).filter(([k]) => wanted.has(k.toLowerCase())));
}

/** The `fields` query parameter as a list; absent or empty (`fields=`) means every field. */
export function fieldsParam(query: URLSearchParams): string[] | undefined {
  const raw = query.get('fields');
  if (raw === null) return undefined;
  const list = raw
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '');
  return list.length === 0 ? undefined : list;
}

const ISO_DURATION =
  /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * Seconds of a served duration: a number, a numeric string, or an ISO-8601 duration with days
 * and fractions. Used by the sandbox's own ground truth, which must read its rows as a client does.
 */
export function durationSeconds(value: unknown): number {
  if (typeof value === 'number') return value;
  const text = String(value);
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  const m = ISO_DURATION.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) throw new Error(`not a duration: ${text}`);
  const [d, h, mi, s] = m.slice(1).map((part) => Number(part ?? 0));
  return ((d * 24 + h) * 60 + mi) * 60 + s;
}
