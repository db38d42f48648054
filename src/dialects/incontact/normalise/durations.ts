/**
 * Durations as CXone sends them: seconds as a number, seconds as text ("101"), or ISO-8601 with
 * a day part and fractional seconds ("P1DT19H18M29.651S"). Year, month and week parts have
 * never been seen and have no fixed length, so they are rejected rather than guessed.
 */

const ISO_DURATION =
  /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;
const SECONDS = /^\d+(\.\d+)?$/;

const UNIT_MS = [86_400_000, 3_600_000, 60_000, 1000];

/** Milliseconds of an ISO-8601 day-time duration, or undefined when it is not one. */
export function isoDurationMs(text: string): number | undefined {
  const m = ISO_DURATION.exec(text.trim());
  // "P" and "PT" alone match the grammar but say nothing.
  if (!m || !m.slice(1).some((part) => part !== undefined)) return undefined;
  if (/T$/i.test(text.trim())) return undefined;
  let ms = 0;
  m.slice(1).forEach((part, i) => {
    if (part !== undefined) ms += Number(part) * UNIT_MS[i];
  });
  return Math.round(ms);
}

/**
 * Seconds (millisecond precision) of a duration in any of the three encodings; null when absent
 * or empty. Throws naming `path` for anything else.
 */
export function toSeconds(value: unknown, path: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value >= 0) return Math.round(value * 1000) / 1000;
  } else if (typeof value === 'string') {
    const text = value.trim();
    if (text === '') return null;
    if (SECONDS.test(text)) return Math.round(Number(text) * 1000) / 1000;
    const ms = isoDurationMs(text);
    if (ms !== undefined) return ms / 1000;
  }
  throw new Error(`${path} must be a duration (seconds or ISO-8601 like PT4M24.63S)`);
}
