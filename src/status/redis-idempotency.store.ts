import type Redis from 'ioredis';
import { compareAndDelete } from '../common/concurrency/redis-lock';
import { ClaimOutcome, IdempotencyEntry, IdempotencyStore, outcomeFor } from './idempotency.store';

function parseEntry(raw: string): IdempotencyEntry | undefined {
  try {
    const value = JSON.parse(raw) as Partial<IdempotencyEntry> | null;
    const ok =
      typeof value?.fingerprint === 'string' &&
      typeof value.owner === 'string' &&
      (value.state === 'pending' || value.state === 'done');
    return ok ? (value as IdempotencyEntry) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Idempotency keys shared by every replica: `SET key pending NX EX <short>` claims atomically,
 * the result is then written for the full TTL. Errors propagate: the caller fails open.
 */
export class RedisIdempotencyStore implements IdempotencyStore {
  constructor(private readonly redis: Redis) {}

  async claim(key: string, entry: IdempotencyEntry, pendingTtlS: number): Promise<ClaimOutcome> {
    // Two rounds: the holder may expire or be released between our SET and GET.
    for (let round = 0; round < 2; round += 1) {
      const set = await this.redis.set(key, JSON.stringify(entry), 'EX', pendingTtlS, 'NX');
      if (set === 'OK') return { kind: 'claimed' };
      const raw = await this.redis.get(key);
      if (raw === null) continue;
      const held = parseEntry(raw);
      // An unreadable entry is not ours to trust or to overwrite: treat it as busy.
      return held ? outcomeFor(held, entry.fingerprint) : { kind: 'inFlight' };
    }
    return { kind: 'inFlight' };
  }

  async complete(key: string, entry: IdempotencyEntry, ttlS: number): Promise<void> {
    await this.redis.set(key, JSON.stringify(entry), 'EX', ttlS);
  }

  async release(key: string, entry: IdempotencyEntry): Promise<void> {
    // Only while the key still holds exactly what this claimer wrote.
    await compareAndDelete(this.redis, key, JSON.stringify(entry));
  }
}
