import { Logger } from '@nestjs/common';
import type { Clock } from '../common/clock/clock';
import type { RedisService } from '../common/redis/redis.service';
import {
  AdaptiveLimit,
  DEFAULT_LIMIT_OPTIONS,
  type AdaptiveLimitOptions,
  type LimitChange,
} from './adaptive-limit';
import { ConcurrencySlots } from './concurrency-slots';
import { DispatchPacer } from './dispatch-pacer';
import { LearnedRate, type RateChange } from './learned-rate';
import { SharedBudget } from './shared-budget';
import { TokenBucket } from './token-bucket';
import { acceptedBy, sampleOf } from './attempt-outcome';

export interface BudgetOptions {
  /** CXONE_MAX_RPS: a hard ceiling on the request rate (shared across replicas), when set. */
  maxRps?: number;
  /** CXONE_MAX_CONCURRENCY: a hard ceiling on the adaptive limit, when set. */
  maxConcurrency?: number;
  /** Calls allowed to wait for a slot before new ones are refused. */
  queueLimit: number;
  /** Tunables of the adaptive limit (tests shorten them). */
  limit?: Partial<AdaptiveLimitOptions>;
}

/** The upstream budget as the status endpoint shows it. */
export interface BudgetSnapshot {
  /** Calls that may be in flight now (the adaptive concurrency limit of this replica). */
  limit: number;
  /** The ceiling of `limit`: CXONE_MAX_CONCURRENCY, null when unset. */
  maxConcurrency: number | null;
  /** CXONE_MAX_RPS, null when unset. */
  maxRps: number | null;
  /** The request rate in force: learned from 429s and/or the ceiling; null when none. */
  effectiveRps: number | null;
  inFlight: number;
  queued: number;
  /** True when replicas share the limits, the hold and the rate through Redis. */
  shared: boolean;
  /** While CXone's Retry-After holds new calls back, when that ends. */
  holdUntil: string | null;
  latencyMs: { recent: number | null; baseline: number | null };
  /** The last change of the limit or of the learned rate, and why. */
  lastChange: {
    at: string;
    what: 'limit' | 'rate';
    from: number | null;
    to: number;
    reason: string;
  } | null;
}

/** Parallel calls a source may issue for one request when CXONE_MAX_CONCURRENCY is unset. */
export const UNSET_FAN_OUT = 32;

/** How wide a source fans out: the ceiling when set, else wide enough for the adaptive limit. */
export function fanOut(cxone: { maxConcurrency?: number }): number {
  return cxone.maxConcurrency ?? UNSET_FAN_OUT;
}

/** Attempts at the shared counter before failing open (a stuck counter must not stall calls). */
const SHARED_MAX_ROUNDS = 20;
/** How often a replica picks up the limits the others wrote. */
const SYNC_EVERY_MS = 1000;

/**
 * How wide and how fast the gateway calls CXone, learned instead of configured. An adaptive
 * concurrency limit (AdaptiveLimit: grows while calls succeed at flat latency, halves on 429,
 * 503 or a timeout) decides how many calls are in flight; a Retry-After holds every new call
 * until it ends; a 429 also teaches a request rate (LearnedRate), paced by a local token bucket
 * and, with Redis, a per-second counter all replicas share. CXONE_MAX_CONCURRENCY and
 * CXONE_MAX_RPS, when set, are ceilings on top. With Redis the replicas share limits, hold and
 * rate (a cut by one slows all); Redis trouble fails open to each replica's own state. Every
 * timing comes from the injected Clock.
 */
export class UpstreamBudget {
  private readonly logger = new Logger('CxoneBudget');
  private readonly limiter: AdaptiveLimit;
  private readonly learned = new LearnedRate();
  private readonly sharedState: SharedBudget;
  private readonly slots: ConcurrencySlots;
  private readonly pacer = new DispatchPacer();
  private bucket: TokenBucket | null = null;
  private lastSyncAt = Number.NEGATIVE_INFINITY;
  private lastChange: BudgetSnapshot['lastChange'] = null;
  /** Redis reads and writes under way (never awaited by calls; `settled()` waits for them). */
  private readonly pending = new Set<Promise<unknown>>();

  constructor(
    private readonly options: BudgetOptions,
    private readonly clock: Clock,
    private readonly redis: RedisService,
  ) {
    const max = options.maxConcurrency ?? DEFAULT_LIMIT_OPTIONS.max;
    this.limiter = new AdaptiveLimit({
      ...DEFAULT_LIMIT_OPTIONS,
      ...options.limit,
      max,
      initial: Math.min(max, options.limit?.initial ?? DEFAULT_LIMIT_OPTIONS.initial),
    });
    this.sharedState = new SharedBudget(redis);
    this.slots = new ConcurrencySlots(() => this.limiter.limit, options.queueLimit);
  }

  /** Runs `fn` once a slot, the end of any hold and a rate token allow it; learns from how it went. */
  async run<T>(fn: () => Promise<T>, signal: AbortSignal, key?: string): Promise<T> {
    this.syncIfDue();
    await this.slots.acquire(signal);
    try {
      // Every wait ends at the hold: a 429 that came while a call waited its turn stops it too.
      await this.awaitPace(signal, key);
      await this.awaitHold(signal);
      if (await this.acquireRate(signal)) await this.awaitHold(signal);
      const started = this.clock.now();
      try {
        const result = await fn();
        this.learn(undefined, started, key);
        return result;
      } catch (err) {
        this.learn(err, started, key);
        throw err;
      }
    } finally {
      this.slots.release();
    }
  }

  snapshot(): BudgetSnapshot {
    const now = this.clock.now();
    this.probeRate(now);
    const hold = this.limiter.holdUntil(now);
    return {
      limit: this.limiter.limit,
      maxConcurrency: this.options.maxConcurrency ?? null,
      maxRps: this.options.maxRps ?? null,
      effectiveRps: this.effectiveRps(),
      inFlight: this.slots.inFlight,
      queued: this.slots.queued,
      shared: this.sharedState.enabled,
      holdUntil: hold ? new Date(hold).toISOString() : null,
      latencyMs: roundLatency(this.limiter.latency()),
      lastChange: this.lastChange,
    };
  }

  // ---- hold and rate -----------------------------------------------------------------------

  private async awaitHold(signal: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      const until = this.limiter.holdUntil(now);
      if (!until) return;
      await this.clock.sleep(until - now, signal);
    }
  }

  /** Spreads the calls of one window over the round trip (see DispatchPacer). */
  private async awaitPace(signal: AbortSignal, key: string | undefined): Promise<void> {
    const now = this.clock.now();
    const latency = this.limiter.recentLatency(key);
    // inFlight counts this call's own slot.
    const waitMs = this.pacer.reserve(now, this.limiter.limit, latency, this.slots.inFlight - 1);
    if (waitMs > 0) await this.clock.sleep(waitMs, signal);
  }

  private effectiveRps(): number | null {
    const learned = this.learned.rate;
    const ceiling = this.options.maxRps;
    if (learned === null) return ceiling ?? null;
    const rate = ceiling === undefined ? learned : Math.min(learned, ceiling);
    return Math.round(rate * 10) / 10;
  }

  /** Takes a rate token (learned or CXONE_MAX_RPS); true when the call had to wait for it. */
  private async acquireRate(signal: AbortSignal): Promise<boolean> {
    const now = this.clock.now();
    this.probeRate(now);
    const rate = this.effectiveRps();
    if (rate === null) return false;
    if (!this.bucket) this.bucket = new TokenBucket(rate, now);
    else if (this.bucket.rate !== rate) this.bucket.setRate(rate, now);
    const waitMs = this.bucket.reserve(now);
    if (waitMs > 0) {
      this.learned.onBound(now);
      try {
        await this.clock.sleep(waitMs, signal);
      } catch (err) {
        this.bucket.release(this.clock.now());
        throw err;
      }
    }
    const waitedShared = await this.acquireShared(rate, signal);
    return waitMs > 0 || waitedShared;
  }

  /**
   * The replicas' shared per-second counter: waits for the next second while this one is full.
   * True when it waited.
   */
  private async acquireShared(rate: number, signal: AbortSignal): Promise<boolean> {
    let waited = false;
    for (let round = 0; round < SHARED_MAX_ROUNDS; round++) {
      const now = this.clock.now();
      const waitMs = await this.sharedState.takeFromSecond(now, rate).catch((err: unknown) => {
        this.logger.debug(
          `Shared rate budget unavailable, failing open: ${(err as Error).message}`,
        );
        return 0;
      });
      if (waitMs <= 0) return waited;
      waited = true;
      this.learned.onBound(now);
      await this.clock.sleep(waitMs, signal);
    }
    return waited;
  }

  private probeRate(now: number): void {
    const change = this.learned.probe(now);
    if (change) this.noteRate(change);
  }

  // ---- learning ----------------------------------------------------------------------------

  private learn(err: unknown, started: number, key: string | undefined): void {
    const sample = { ...sampleOf(err, started, this.clock.now(), this.slots.inFlight), key };
    const holdBefore = this.limiter.holdUntil(sample.at);
    const change = this.limiter.onSample(sample);
    if (change) this.noteLimit(change);
    const hold = this.limiter.holdUntil(sample.at);
    if (hold > holdBefore) this.fireAndForget(this.sharedState.publishHold(hold));
    if (sample.status === 429 && sample.outcome === 'overload') this.onRateLimited(sample.at);
    else if (acceptedBy(err)) {
      this.learned.onAccepted(sample.at);
      if (this.sharedState.enabled) this.fireAndForget(this.sharedState.countAccepted(sample.at));
    }
    this.slots.admit();
  }

  private onRateLimited(at: number): void {
    if (!this.sharedState.enabled) {
      const change = this.learned.onRateLimited(at);
      if (change) this.noteRate(change);
      return;
    }
    // The tenant's allowance is what all replicas got through: ask Redis for the count.
    const learning = this.sharedState.acceptedLastSecond(at).then(
      (accepted) => {
        const change = this.learned.onRateLimited(at, accepted ?? undefined);
        if (change) this.noteRate(change);
      },
      () => {
        const change = this.learned.onRateLimited(at);
        if (change) this.noteRate(change);
      },
    );
    this.track(learning);
  }

  private noteLimit(change: LimitChange): void {
    this.lastChange = { ...change, at: new Date(change.at).toISOString(), what: 'limit' };
    const message = `Upstream concurrency limit ${change.from} → ${change.to}: ${change.reason}`;
    if (change.to < change.from) this.logger.warn(message);
    else this.logger.debug(message);
    this.fireAndForget(this.sharedState.publishLimit(change));
  }

  private noteRate(change: RateChange): void {
    this.lastChange = { ...change, at: new Date(change.at).toISOString(), what: 'rate' };
    const message = `Upstream rate ${change.from ?? 'unlimited'} → ${change.to}/s: ${change.reason}`;
    if (change.from === null || change.to < change.from) this.logger.warn(message);
    else this.logger.debug(message);
    this.fireAndForget(this.sharedState.publishRate(change));
  }

  // ---- sharing -----------------------------------------------------------------------------

  /** Resolves once the Redis reads and writes started so far are done (for tests and shutdown). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** Picks up what other replicas decided, at most once a second, without delaying the call. */
  private syncIfDue(): void {
    const now = this.clock.now();
    if (!this.sharedState.enabled || now - this.lastSyncAt < SYNC_EVERY_MS) return;
    this.lastSyncAt = now;
    this.track(this.sync());
  }

  private sync(): Promise<void> {
    return this.sharedState.read().then(
      (state) => {
        if (!state) return;
        if (state.limit && state.limit.at > (this.limiter.lastChange?.at ?? 0)) {
          this.limiter.adopt(state.limit);
          this.lastChange = {
            ...state.limit,
            at: new Date(state.limit.at).toISOString(),
            what: 'limit',
          };
        }
        this.limiter.extendHold(state.holdUntil);
        if (state.rate && state.rate.at > (this.learned.lastChange?.at ?? 0)) {
          this.learned.adopt(state.rate);
        }
        this.slots.admit();
      },
      (err: unknown) => this.logger.debug(`Shared budget unreadable: ${(err as Error).message}`),
    );
  }

  private fireAndForget(write: Promise<unknown>): void {
    this.track(
      write.catch((err: unknown) =>
        this.logger.debug(`Shared budget not written, failing open: ${(err as Error).message}`),
      ),
    );
  }

  private track(work: Promise<unknown>): void {
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }
}

function roundLatency(l: { recent: number | null; baseline: number | null }) {
  const round = (ms: number | null) => (ms === null ? null : Math.round(ms));
  return { recent: round(l.recent), baseline: round(l.baseline) };
}
