import { Logger } from '@nestjs/common';
import { BulkheadPolicy, bulkhead } from 'cockatiel';
import type { Clock } from '../common/clock/clock';
import type { RedisService } from '../common/redis/redis.service';
import { TokenBucket } from './token-bucket';

export interface BudgetOptions {
  maxRps: number;
  maxConcurrency: number;
  /** How long a 429 from CXone halves the request rate. */
  rateLimitPenaltyMs: number;
  /** Calls allowed to wait for a concurrency slot before new ones are refused. */
  queueLimit: number;
}

/** The upstream budget as the status endpoint shows it. */
export interface BudgetSnapshot {
  maxRps: number;
  effectiveRps: number;
  maxConcurrency: number;
  inFlight: number;
  queued: number;
  /** True when replicas share the per-second budget through Redis. */
  shared: boolean;
  /** While a 429 penalty is in force, when it ends. */
  reducedUntil: string | null;
}

const SHARED_KEY_PREFIX = 'cxgw:cxone:rps:';
/** Attempts at the shared counter before failing open (a stuck counter must not stall calls). */
const SHARED_MAX_ROUNDS = 20;

/**
 * How fast and how wide the gateway may call CXone: a concurrency bulkhead (queueing), a local
 * token bucket, and, with Redis, a per-second counter shared by every replica. A 429 halves the
 * rate for a while. Redis trouble fails open: the local limits still hold.
 */
export class UpstreamBudget {
  private readonly logger = new Logger('CxoneBudget');
  private readonly bucket: TokenBucket;
  private readonly bulkhead: BulkheadPolicy;
  private reducedUntil = 0;

  constructor(
    private readonly options: BudgetOptions,
    private readonly clock: Clock,
    private readonly redis: RedisService,
  ) {
    this.bucket = new TokenBucket(options.maxRps, clock.now());
    this.bulkhead = bulkhead(options.maxConcurrency, options.queueLimit);
  }

  /** Runs `fn` once a concurrency slot and a rate token are available. */
  run<T>(fn: () => Promise<T>, signal: AbortSignal): Promise<T> {
    return this.bulkhead.execute(async () => {
      await this.acquireRate(signal);
      return fn();
    }, signal);
  }

  /** CXone said 429: halve our rate for the penalty period (restored lazily afterwards). */
  onRateLimited(): void {
    const now = this.clock.now();
    const wasReduced = now < this.reducedUntil;
    this.reducedUntil = now + this.options.rateLimitPenaltyMs;
    if (!wasReduced) {
      this.bucket.setRate(Math.max(1, Math.floor(this.options.maxRps / 2)), now);
      this.logger.warn(`CXone rate-limited us: upstream rate halved to ${this.bucket.rate}/s`);
    }
  }

  snapshot(): BudgetSnapshot {
    const now = this.clock.now();
    this.restoreIfDue(now);
    return {
      maxRps: this.options.maxRps,
      effectiveRps: this.bucket.rate,
      maxConcurrency: this.options.maxConcurrency,
      inFlight: this.options.maxConcurrency - this.bulkhead.executionSlots,
      queued: this.options.queueLimit - this.bulkhead.queueSlots,
      shared: this.redis.client !== null,
      reducedUntil: now < this.reducedUntil ? new Date(this.reducedUntil).toISOString() : null,
    };
  }

  private async acquireRate(signal: AbortSignal): Promise<void> {
    const now = this.clock.now();
    this.restoreIfDue(now);
    const waitMs = this.bucket.reserve(now);
    if (waitMs > 0) {
      try {
        await this.clock.sleep(waitMs, signal);
      } catch (err) {
        this.bucket.release(this.clock.now());
        throw err;
      }
    }
    await this.acquireShared(signal);
  }

  /** The replicas' shared per-second budget: INCR the current second's counter, wait if over. */
  private async acquireShared(signal: AbortSignal): Promise<void> {
    const client = this.redis.client;
    if (!client) return;
    for (let round = 0; round < SHARED_MAX_ROUNDS; round++) {
      const now = this.clock.now();
      const second = Math.floor(now / 1000);
      const key = `${SHARED_KEY_PREFIX}${second}`;
      let count: number;
      try {
        const results = await client.multi().incr(key).expire(key, 2).exec();
        count = Number(results?.[0]?.[1]);
      } catch (err) {
        this.logger.debug(
          `Shared rate budget unavailable, failing open: ${(err as Error).message}`,
        );
        return;
      }
      if (!Number.isFinite(count) || count <= this.bucket.rate) return;
      await this.clock.sleep((second + 1) * 1000 - now, signal);
    }
  }

  private restoreIfDue(now: number): void {
    if (this.reducedUntil !== 0 && now >= this.reducedUntil) {
      this.reducedUntil = 0;
      this.bucket.setRate(this.options.maxRps, now);
      this.logger.log(`Upstream rate restored to ${this.options.maxRps}/s`);
    }
  }
}
