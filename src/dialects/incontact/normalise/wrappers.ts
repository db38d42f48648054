import { field } from './keys';
import { toNumber } from './values';

/**
 * Response envelopes. The payload array sits at `body[key]`, or inside a `resultSet` (any
 * casing) on some endpoints and versions; `totalRecords` may be a number or a numeric string,
 * at the top or inside `resultSet`. A 204, an empty body or a missing array all mean "no rows".
 */

function asObject(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** The body (or an empty object for a 204 / empty answer); throws when it is something else. */
export function envelope(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null || body === '') return {};
  const record = asObject(body);
  if (!record) throw new Error('body must be a JSON object');
  return record;
}

function levels(body: Record<string, unknown>): Record<string, unknown>[] {
  const inner = asObject(field(body, 'resultSet'));
  return inner ? [body, inner] : [body];
}

/** The payload rows under `key` (any case), top-level first, then under `resultSet`. */
export function payloadList(body: unknown, key: string): unknown[] {
  for (const level of levels(envelope(body))) {
    const value = field(level, key);
    if (value === undefined || value === null) continue;
    if (!Array.isArray(value)) throw new Error(`${key} must be an array`);
    return value;
  }
  return [];
}

/** `totalRecords` as a number (top-level or under `resultSet`), or null when not sent. */
export function totalRecords(body: unknown): number | null {
  for (const level of levels(envelope(body))) {
    const value = toNumber(field(level, 'totalRecords'), 'totalRecords');
    if (value !== null) {
      if (!Number.isInteger(value) || value < 0) {
        throw new Error('totalRecords must be a non-negative integer');
      }
      return value;
    }
  }
  return null;
}

/** `_links.next` as a URL string, or undefined when absent, null or empty (the last page). */
export function nextLink(body: unknown): string | undefined {
  for (const level of levels(envelope(body))) {
    const links = asObject(field(level, '_links', 'links'));
    const next = links ? field(links, 'next') : undefined;
    if (typeof next === 'string' && next.trim() !== '') return next.trim();
  }
  return undefined;
}

/** Any other top-level (or `resultSet`) scalar, e.g. `lastPollTime`. */
export function envelopeField(body: unknown, name: string): unknown {
  for (const level of levels(envelope(body))) {
    const value = field(level, name);
    if (value !== undefined) return value;
  }
  return undefined;
}
