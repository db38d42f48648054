/**
 * ISO 8601 date-times with an explicit offset (`Z` or `±HH:MM`), the only form the reporting
 * endpoints accept: a local time without an offset would be read differently by every client.
 * A space before the offset is read as `+`, because an unencoded `+` in a query string arrives
 * as a space (form decoding) and callers rarely notice.
 */
const ISO_WITH_OFFSET =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+\- ]\d{2}:?\d{2})$/i;

/** Epoch ms of an ISO 8601 date-time with offset, or undefined when it is not a real instant. */
export function parseIsoInstant(text: string): number | undefined {
  const m = ISO_WITH_OFFSET.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s = '00', frac = '', zone] = m;
  const ms = Number((frac + '000').slice(0, 3));
  const local = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, ms);
  const check = new Date(local);
  // Date.UTC rolls 2026-02-30 over to March: a round trip catches impossible calendar dates.
  const calendarOk =
    check.getUTCFullYear() === +y &&
    check.getUTCMonth() === +mo - 1 &&
    check.getUTCDate() === +d &&
    +h < 24 &&
    +mi < 60 &&
    +s < 60;
  if (!calendarOk) return undefined;
  const offset = offsetMs(zone);
  return offset === undefined ? undefined : local - offset;
}

function offsetMs(zone: string): number | undefined {
  if (zone.toUpperCase() === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2, 4));
  if (hours > 23 || minutes > 59) return undefined;
  return sign * (hours * 60 + minutes) * 60_000;
}

/** Epoch ms as `YYYY-MM-DDTHH:MM:SS.mmmZ`. */
export function toIsoUtc(ms: number): string {
  return new Date(ms).toISOString();
}
