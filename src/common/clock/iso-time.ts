/** The last time `toISOString` ran for, and its text up to and including the seconds' dot. */
let cachedSecond = Number.NaN;
let cachedPrefix = '';
/** Date's own range of four-digit years (0000–9999): beyond it the ISO text is longer. */
const MAX_FOUR_DIGIT_YEAR_MS = 253_402_300_800_000;

/**
 * `new Date(ms).toISOString()`, for a time on every request (the audit record's): building a
 * Date and its ISO text costs ≈ 4 µs here, most of a cache hit's audit. The text up to the
 * second is kept and only the milliseconds are written per call. Same result for every `ms`
 * (fractions are cut as Date cuts them; out-of-range years go through Date).
 */
export function isoTime(ms: number): string {
  if (!(ms >= 0 && ms < MAX_FOUR_DIGIT_YEAR_MS)) return new Date(ms).toISOString();
  const whole = Math.floor(ms);
  const second = Math.floor(whole / 1000);
  if (second !== cachedSecond) {
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, 20);
    cachedSecond = second;
  }
  const milli = whole - second * 1000;
  return cachedPrefix + (milli < 10 ? '00' : milli < 100 ? '0' : '') + String(milli) + 'Z';
}
