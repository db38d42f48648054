export const DAY_MS = 86_400_000;

/** [startMs, endMs) cut into consecutive windows of at most one day, in order. */
export function dayWindows(startMs: number, endMs: number): { startMs: number; endMs: number }[] {
  const windows: { startMs: number; endMs: number }[] = [];
  for (let from = startMs; from < endMs; from += DAY_MS) {
    windows.push({ startMs: from, endMs: Math.min(endMs, from + DAY_MS) });
  }
  return windows;
}

/** Runs `task` over `items` with at most `limit` in flight; results in input order. */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failed === undefined && next < items.length) {
      const index = next++;
      try {
        results[index] = await task(items[index]);
      } catch (error) {
        failed ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failed) throw failed.error as Error;
  return results;
}
