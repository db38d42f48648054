const DAY_MS = 86_400_000;

export interface DateWindow {
  dateFrom: string;
  dateTo: string;
}

/**
 * Consecutive windows of at most `windowDays`, the last cut at `endMs` — the v2 §exports
 * `split_date_range`, with ISO instants in milliseconds and "Z" as CXone expects them.
 */
export function splitWindows(startMs: number, endMs: number, windowDays: number): DateWindow[] {
  if (!(windowDays > 0)) throw new RangeError('windowDays must be positive');
  const step = windowDays * DAY_MS;
  const windows: DateWindow[] = [];
  for (let from = startMs; from < endMs; from += step) {
    const to = Math.min(from + step, endMs);
    windows.push({ dateFrom: new Date(from).toISOString(), dateTo: new Date(to).toISOString() });
  }
  return windows;
}
