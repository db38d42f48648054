import type { QueueStatsRow } from '../../reporting/queue-stats/queue-stats.flatten';

export interface QueueDiff {
  /** Full rows (new values) of queues that are new or whose figures changed, in upstream order. */
  changed: QueueStatsRow[];
  /** Ids of queues upstream no longer reports. */
  removed: string[];
}

/**
 * Whether two rows show the same figures. The sample `timestamp` moves on every poll even when
 * nothing else does, so it is not a change of its own (a changed row still carries its new one).
 */
export function sameFigures(a: QueueStatsRow, b: QueueStatsRow): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    if (key === 'timestamp') continue;
    if (a[key] !== b[key]) return false;
  }
  return true;
}

/** What changed between two polls. */
export function diffQueues(
  previous: readonly QueueStatsRow[],
  next: readonly QueueStatsRow[],
): QueueDiff {
  const before = new Map(previous.map((row) => [row.queueId, row]));
  const changed = next.filter((row) => {
    const old = before.get(row.queueId);
    return old === undefined || !sameFigures(old, row);
  });
  const present = new Set(next.map((row) => row.queueId));
  const removed = previous.map((row) => row.queueId).filter((id) => !present.has(id));
  return { changed, removed };
}

/** Applies a change to a row list: changed rows replace (or join) theirs, removed ones go. */
export function applyQueueChanges(
  rows: readonly QueueStatsRow[],
  changed: readonly QueueStatsRow[],
  removed: readonly string[] = [],
): QueueStatsRow[] {
  const updates = new Map(changed.map((row) => [row.queueId, row]));
  const gone = new Set(removed);
  const result = rows
    .filter((row) => !gone.has(row.queueId))
    .map((row) => {
      const update = updates.get(row.queueId);
      if (update) updates.delete(row.queueId);
      return update ?? row;
    });
  return [...result, ...updates.values()];
}
