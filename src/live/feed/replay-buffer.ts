import type { FeedUpdate } from './queue-feed.types';

/**
 * The updates since the last snapshot, so a client that reconnects with `Last-Event-ID` gets
 * what it missed instead of a full snapshot. Only ids this buffer issued resume (an exact
 * match). Bounded by count: at most one update per poll interval, so `capacity` updates cover
 * at least `capacity × interval` of time.
 */
export class ReplayBuffer {
  private updates: FeedUpdate[] = [];
  /** The id of the state the oldest held update was applied to: resumable ids start here. */
  private baseId: number | null = null;

  constructor(private readonly capacity: number) {}

  /** Starts a new sequence at `id` (a snapshot); older ids can no longer be resumed. */
  reset(id: number): void {
    this.updates = [];
    this.baseId = id;
  }

  push(update: FeedUpdate): void {
    this.updates.push(update);
    while (this.updates.length > this.capacity) {
      const dropped = this.updates.shift();
      if (dropped) this.baseId = dropped.id;
    }
  }

  /**
   * The updates after `lastId`, or undefined when `lastId` cannot be resumed from (too old,
   * from before the last snapshot, or never issued): the caller then sends a fresh snapshot.
   */
  since(lastId: number): FeedUpdate[] | undefined {
    if (lastId === this.baseId) return [...this.updates];
    const at = this.updates.findIndex((u) => u.id === lastId);
    return at < 0 ? undefined : this.updates.slice(at + 1);
  }

  get size(): number {
    return this.updates.length;
  }
}
