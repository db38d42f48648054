import type Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock/clock';
import { COMPARE_AND_DELETE_SCRIPT, COMPARE_AND_PEXPIRE_SCRIPT } from './redis-scripts';

/** A held lock: release it once; releasing a lock that expired (and was taken by someone else) is a no-op. */
export interface HeldLock {
  readonly key: string;
  readonly token: string;
  release(): Promise<void>;
  /** Renews the lock for `ttlMs` (default: its TTL); false when it was lost meanwhile. */
  extend(ttlMs?: number): Promise<boolean>;
}

export interface AcquireOptions {
  clock: Clock;
  /** How long to keep trying before giving up (undefined: the lock TTL). */
  waitMs?: number;
  /** Delay between attempts. */
  retryMs?: number;
  signal?: AbortSignal;
}

/**
 * A cross-replica mutual-exclusion lock on one Redis key: `SET key token NX PX ttl` to take it,
 * compare-and-delete to release it, so a holder that outlived its TTL never frees a lock that
 * someone else now holds. Redis errors propagate: each caller decides whether to fail open.
 */
export class RedisLock {
  constructor(
    private readonly redis: Redis,
    readonly key: string,
    private readonly ttlMs: number,
  ) {}

  /** One attempt: the held lock, or undefined when someone else holds it. */
  async tryAcquire(): Promise<HeldLock | undefined> {
    const token = randomUUID();
    const ok = await this.redis.set(this.key, token, 'PX', this.ttlMs, 'NX');
    return ok === 'OK' ? this.held(token) : undefined;
  }

  /** Retries until held or `waitMs` passes (then undefined: the previous holder's TTL decides). */
  async acquire(options: AcquireOptions): Promise<HeldLock | undefined> {
    const { clock, retryMs = 25, signal } = options;
    const giveUpAt = clock.now() + (options.waitMs ?? this.ttlMs);
    for (;;) {
      const lock = await this.tryAcquire();
      if (lock) return lock;
      if (clock.now() + retryMs > giveUpAt) return undefined;
      await clock.sleep(retryMs, signal);
    }
  }

  /** Whether anyone holds the lock right now. */
  async isHeld(): Promise<boolean> {
    return (await this.redis.exists(this.key)) === 1;
  }

  private held(token: string): HeldLock {
    return {
      key: this.key,
      token,
      release: async () => {
        await compareAndDelete(this.redis, this.key, token);
      },
      extend: async (ttlMs = this.ttlMs) =>
        (await this.redis.eval(COMPARE_AND_PEXPIRE_SCRIPT, 1, this.key, token, ttlMs)) === 1,
    };
  }
}

/** Deletes `key` only while it still holds `expected`; true when it did. */
export async function compareAndDelete(
  redis: Redis,
  key: string,
  expected: string,
): Promise<boolean> {
  return (await redis.eval(COMPARE_AND_DELETE_SCRIPT, 1, key, expected)) === 1;
}
