/**
 * Scalar rules of the inContact API. Depending on tenant and API version, a value arrives typed
 * (the published spec) or as text (v21-era captures: ids, counts and percentages as strings,
 * booleans as "True"/"False"). Absent, null and "" all mean "no value". Each reader returns the
 * value or null, and throws an Error naming `path` when the value cannot be what it should be.
 */

/** undefined, null, or an empty (or blank) string: no value. */
export function isAbsent(value: unknown): value is undefined | null | '' {
  return (
    value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
  );
}

const NUMERIC = /^-?\d+(\.\d+)?$/;

/** A JSON number, or a decimal string such as "459957", "20.37", "0.00". */
export function toNumber(value: unknown, path: string): number | null {
  if (isAbsent(value)) return null;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && NUMERIC.test(value.trim())) return Number(value.trim());
  throw new Error(`${path} must be a number`);
}

/** true/false, or their text in any case: "true", "False", "TRUE". */
export function toBoolean(value: unknown, path: string): boolean | null {
  if (isAbsent(value)) return null;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lower = value.trim().toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  throw new Error(`${path} must be a boolean`);
}

/** Text; a number is accepted as its decimal text (ids typed either way). */
export function toText(value: unknown, path: string): string | null {
  if (isAbsent(value)) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new Error(`${path} must be a string`);
}

/**
 * A numeric id (agentId, skillId, contactId…), typed or as text, as its canonical decimal text.
 * 0 means "none" on these endpoints (a state row without a contact), so it reads as null.
 */
export function toIdText(value: unknown, path: string): string | null {
  const n = toNumber(value, path);
  if (n === null || n === 0) return null;
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${path} must be a positive integer id`);
  return String(n);
}
