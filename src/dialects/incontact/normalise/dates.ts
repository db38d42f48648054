/**
 * Timestamps. Sent: UTC with a literal `Z` and milliseconds (`2024-05-01T00:00:00.000Z`); an
 * offset such as `+00:00` risks its `+` being read as a space in a query string. Received:
 * ISO-8601, parsed leniently; one without a zone is UTC, as CXone means it.
 */

/** Epoch ms as the `startDate` / `endDate` / `updatedSince` CXone expects. */
export function toCxoneDate(ms: number): string {
  return new Date(ms).toISOString();
}

const HAS_ZONE = /(Z|[+-]\d{2}:?\d{2})$/i;
const ISO_LIKE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?/;

/** Epoch ms of a received timestamp; null when absent or empty; throws naming `path` otherwise. */
export function toInstantMs(value: unknown, path: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new Error(`${path} must be an ISO 8601 timestamp`);
  const text = value.trim();
  if (text === '') return null;
  if (!ISO_LIKE.test(text)) throw new Error(`${path} must be an ISO 8601 timestamp`);
  // Millisecond precision is what the gateway keeps; longer fractions are cut, not rounded.
  const withT = text.replace(' ', 'T').replace(/(\.\d{3})\d+/, '$1');
  const full = withT.includes('T') ? withT : `${withT}T00:00:00`;
  const ms = Date.parse(HAS_ZONE.test(full) ? full : `${full}Z`);
  if (!Number.isFinite(ms)) throw new Error(`${path} must be an ISO 8601 timestamp`);
  return ms;
}
