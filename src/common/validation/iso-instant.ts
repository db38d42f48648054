/**
 * The one reading of a date or date-time every endpoint accepts (exports, analytics, history,
 * OData literals): ISO 8601 `YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM[:SS[.fraction]]` with an optional
 * offset `Z` / `±HH:MM` / `±HHMM`. Without an offset it is UTC — never the server's local time,
 * so the same text means the same instant on every replica whatever its TZ. An offset beyond
 * ±18:00 (the widest any zone has used, with room) or with minutes past 59 is refused instead of
 * silently shifting the range. A space before the offset is read as `+`: an unencoded `+` in a
 * query string arrives as a space. A space instead of the `T` is accepted too.
 */
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,12}))?)?(Z|[+\- ]\d{2}:?\d{2})?)?$/i;

/** Widest offset accepted, in minutes. */
export const MAX_OFFSET_MINUTES = 18 * 60;

/** How a bad date is described in a 400, after "<field> must be". */
export const ISO_INSTANT_HINT =
  'an ISO 8601 date or date-time, e.g. 2024-05-01T00:00:00Z; no offset means UTC, an offset ' +
  'is ±HH:MM up to ±18:00';

/**
 * Epoch ms of `text`, or undefined when it is not a real instant: an impossible calendar date
 * (2024-02-30), hour 24, minute 60, or an impossible offset (+25:00, +99:99).
 */
export function parseIsoInstant(text: string): number | undefined {
  const m = ISO_INSTANT.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone = 'Z'] = m;
  const fields = [y, mo, d, h, mi, s].map(Number);
  const ms = Number((frac + '000').slice(0, 3));
  const utc = Date.UTC(fields[0], fields[1] - 1, fields[2], fields[3], fields[4], fields[5], ms);
  const check = new Date(utc);
  // Date.UTC rolls 2026-02-30 over to March: a round trip catches impossible calendar dates.
  const valid =
    check.getUTCFullYear() === fields[0] &&
    check.getUTCMonth() === fields[1] - 1 &&
    check.getUTCDate() === fields[2] &&
    fields[3] < 24 &&
    fields[4] < 60 &&
    fields[5] < 60;
  if (!valid) return undefined;
  const offset = offsetMinutes(zone);
  return offset === undefined ? undefined : utc - offset * 60_000;
}

/** Canonical form of a valid instant (`…T…Z` with milliseconds), or undefined. */
export function normalizeIsoInstant(text: string): string | undefined {
  const ms = parseIsoInstant(text);
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

function offsetMinutes(zone: string): number | undefined {
  if (zone.toUpperCase() === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2, 4));
  const total = hours * 60 + minutes;
  if (minutes > 59 || total > MAX_OFFSET_MINUTES) return undefined;
  return (zone.startsWith('-') ? -1 : 1) * total;
}
