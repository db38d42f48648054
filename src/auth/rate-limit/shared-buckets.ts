import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Clock } from '../../common/clock/clock';
import { TAKE_TOKENS_SCRIPT } from '../../common/concurrency/redis-scripts';
import type { RateSpec } from '../../config/rate-limit-config';
import type { MemoryBuckets } from './memory-buckets';
import { refillMs } from './token-bucket';

const KEY_PREFIX = 'cxgw:ratelimit:';
/**
 * Share of a second's rate a replica takes from Redis at once, so a key at its full rate costs a
 * replica about ten Redis calls a second instead of one per request; never more than a quarter
 * of the burst, so one replica cannot take the whole burst for itself.
 */
const LEASE_SHARE_S = 0.1;
/** Leased tokens not used by then are dropped (they never add up to a later burst). */
const LEASE_MS = 1000;
/** After a failed Redis call, buckets stay in memory this long before Redis is tried again. */
const DEGRADED_MS = 5000;

interface Lease {
  /** Tokens taken from the shared bucket and not yet used by a request. */
  tokens: number;
  expiresAt: number;
  /** The shared bucket said it is empty until then: refuse locally, without asking again. */
  blockedUntil: number;
  refill?: Promise<void>;
  /** Requests waiting for the refill in flight: it asks for at least that many tokens. */
  waiting: number;
}

/**
 * The limits shared by every replica through one Redis token bucket per key and limit (see
 * TAKE_TOKENS_SCRIPT), without a Redis round trip per request: a replica takes a small batch of
 * tokens at a time and spends them locally, and once Redis says the bucket is empty it refuses
 * locally until the next token is due. Across replicas no more than the limit is ever admitted
 * (a token is taken from Redis before it is spent); a replica may hold up to a batch unused for
 * at most LEASE_MS, which only ever admits less. While Redis is unreachable each replica falls
 * back to its own memory buckets (the limit per replica) rather than refusing or admitting all.
 *
 * `take` answers 0 (admitted) or the ms until a retry can succeed; synchronously when the local
 * lease decides, which is the cached routes' common case.
 */
export class SharedBuckets {
  private readonly logger = new Logger('RateLimit');
  private readonly leases = new Map<string, Lease>();
  private degradedUntil = 0;

  constructor(
    private readonly redis: Redis,
    private readonly clock: Clock,
    private readonly fallback: MemoryBuckets,
  ) {}

  take(id: string, spec: RateSpec): number | Promise<number> {
    const now = this.clock.now();
    if (now < this.degradedUntil || this.redis.status !== 'ready') {
      return this.takeLocally(id, spec, now);
    }
    let lease = this.leases.get(id);
    if (!lease) {
      lease = { tokens: 0, expiresAt: 0, blockedUntil: 0, waiting: 0 };
      this.leases.set(id, lease);
    }
    return this.spend(lease, now) ?? this.takeAfterRefill(id, spec, lease);
  }

  /** The local answer, or undefined when the lease is spent and Redis must be asked. */
  private spend(lease: Lease, now: number): number | undefined {
    if (now < lease.blockedUntil) return lease.blockedUntil - now;
    if (lease.tokens > 0 && now < lease.expiresAt) {
      lease.tokens--;
      return 0;
    }
    return undefined;
  }

  private async takeAfterRefill(id: string, spec: RateSpec, lease: Lease): Promise<number> {
    // Requests arriving during a refill wait for it and share its batch; whoever finds the
    // batch spent by the others asks again (each round either grants a token or blocks).
    for (;;) {
      lease.waiting++;
      lease.refill ??= this.refill(id, spec, lease).finally(() => (lease.refill = undefined));
      await lease.refill;
      lease.waiting--;
      const now = this.clock.now();
      if (now < this.degradedUntil) return this.takeLocally(id, spec, now);
      const answer = this.spend(lease, now);
      if (answer !== undefined) return answer;
    }
  }

  private async refill(id: string, spec: RateSpec, lease: Lease): Promise<void> {
    // Let the requests that queued behind this call join it before asking.
    await Promise.resolve();
    const now = this.clock.now();
    const share = Math.min(Math.floor(spec.rps * LEASE_SHARE_S), spec.burst >> 2);
    const want = Math.min(spec.burst, Math.max(1, share, lease.waiting));
    try {
      const [granted, retryMs] = (await this.redis.eval(
        TAKE_TOKENS_SCRIPT,
        1,
        KEY_PREFIX + id,
        spec.rps,
        spec.burst,
        want,
        now,
        refillMs(spec) + LEASE_MS,
      )) as [number, number, number];
      if (this.degradedUntil) {
        this.degradedUntil = 0;
        this.logger.log('Rate limits are shared through Redis again');
      }
      if (granted > 0) {
        lease.tokens = granted;
        lease.expiresAt = now + LEASE_MS;
      } else {
        lease.tokens = 0;
        lease.blockedUntil = now + retryMs;
      }
    } catch (err) {
      if (!this.degradedUntil) {
        this.logger.warn(
          `Rate limits fall back to this replica's memory: Redis failed (${(err as Error).message})`,
        );
      }
      this.degradedUntil = now + DEGRADED_MS;
    }
  }

  private takeLocally(id: string, spec: RateSpec, now: number): number {
    const take = this.fallback.take(id, spec, 1, now);
    return take.granted > 0 ? 0 : take.retryMs;
  }
}
