import { Clock } from '../common/clock/clock';

/** What a key holds: a request still running, or the result of one that succeeded. */
export interface IdempotencyEntry {
  /** Hash of the normalized request; a different one under the same key is a mismatch. */
  fingerprint: string;
  state: 'pending' | 'done';
  /** Random per claim, so only the claimer can release a pending entry. */
  owner: string;
  result?: unknown;
}

export type ClaimOutcome =
  | { kind: 'claimed' }
  | { kind: 'replay'; result: unknown }
  | { kind: 'mismatch' }
  | { kind: 'inFlight' };

/**
 * Where idempotency keys live: Redis (shared by replicas, `SET NX`) or process memory. `claim`
 * atomically takes a free key (pending, short TTL) or reports what holds it; `complete` stores
 * the result for the full TTL; `release` frees a pending key after a failure so it can be retried.
 */
export interface IdempotencyStore {
  claim(key: string, entry: IdempotencyEntry, pendingTtlS: number): Promise<ClaimOutcome>;
  complete(key: string, entry: IdempotencyEntry, ttlS: number): Promise<void>;
  release(key: string, entry: IdempotencyEntry): Promise<void>;
}

/** Compares what a key holds with a new claim's fingerprint. */
export function outcomeFor(held: IdempotencyEntry, fingerprint: string): ClaimOutcome {
  if (held.fingerprint !== fingerprint) return { kind: 'mismatch' };
  return held.state === 'done' ? { kind: 'replay', result: held.result } : { kind: 'inFlight' };
}

const MAX_MEMORY_ENTRIES = 10_000;

/** Single-process store (memory mode, and the fail-open fallback when Redis errors). */
export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly entries = new Map<string, { entry: IdempotencyEntry; expiresAt: number }>();

  constructor(private readonly clock: Clock) {}

  claim(key: string, entry: IdempotencyEntry, pendingTtlS: number): Promise<ClaimOutcome> {
    const held = this.get(key);
    if (held) return Promise.resolve(outcomeFor(held, entry.fingerprint));
    this.set(key, entry, pendingTtlS);
    return Promise.resolve({ kind: 'claimed' });
  }

  complete(key: string, entry: IdempotencyEntry, ttlS: number): Promise<void> {
    this.set(key, entry, ttlS);
    return Promise.resolve();
  }

  release(key: string, entry: IdempotencyEntry): Promise<void> {
    if (this.get(key)?.owner === entry.owner) this.entries.delete(key);
    return Promise.resolve();
  }

  private get(key: string): IdempotencyEntry | undefined {
    const held = this.entries.get(key);
    if (!held) return undefined;
    if (held.expiresAt > this.clock.now()) return held.entry;
    this.entries.delete(key);
    return undefined;
  }

  private set(key: string, entry: IdempotencyEntry, ttlS: number): void {
    this.entries.delete(key);
    // Map order is insertion order: the first key is the oldest write, evicted when full.
    if (this.entries.size >= MAX_MEMORY_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { entry, expiresAt: this.clock.now() + ttlS * 1000 });
  }
}
