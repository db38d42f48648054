/**
 * Small checks for upstream JSON: throw a message naming the path when the shape is wrong (the
 * client turns it into UPSTREAM_ERROR), so nothing downstream trusts an unchecked body.
 */

export function asRecord(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${path} must be an object`);
  }
  return value as Record<string, unknown>;
}

export function asArray(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${path} must be an array`);
  return value;
}

export function asString(value: unknown, path: string): string {
  if (typeof value !== 'string' || value === '')
    throw new Error(`${path} must be a non-empty string`);
  return value;
}

export function asId(value: unknown, path: string): string | number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  return asString(value, path);
}

/** An upstream timestamp as epoch ms; one without an offset is UTC, as CXone means it. */
export function asInstant(value: unknown, path: string): number {
  const text = asString(value, path);
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(text);
  const ms = Date.parse(hasZone ? text : `${text}Z`);
  if (!Number.isFinite(ms)) throw new Error(`${path} must be an ISO 8601 timestamp`);
  return ms;
}
