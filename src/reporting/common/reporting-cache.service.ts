import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Counter } from 'prom-client';
import { Clock } from '../../common/clock/clock';
import { RedisService } from '../../common/redis/redis.service';
import { MetricsService } from '../../observability/metrics.service';

export type CacheStatus = 'HIT' | 'MISS';

/** How one cache stores its values in Redis (the in-process copy keeps the object itself). */
export interface CacheCodec<T> {
  encode(value: T): string;
  /** Throws on a value it cannot read; the entry is then treated as a miss. */
  decode(text: string): T;
}

export interface CacheSpec<T> {
  /** Cache name, for metrics and Redis keys. */
  name: string;
  ttlMs: number;
  codec: CacheCodec<T>;
  /** In-process entries kept at most (oldest dropped first). */
  maxEntries?: number;
}

interface Entry<T> {
  value: T;
  expiresAt: number;
}

type CacheResult = 'hit' | 'miss' | 'error';

/**
 * A short-TTL cache: an in-process Map first (a fresh local copy never costs a Redis round
 * trip), then Redis when configured so replicas share entries, then the loader — with
 * single-flight, so any number of identical concurrent misses make one load. Redis errors are
 * counted and ignored (fail open): the cache only ever saves work, never causes a failure.
 */
export class TtlCache<T> {
  private readonly logger: Logger;
  private readonly local = new Map<string, Entry<T>>();
  private readonly inflight = new Map<string, Promise<T>>();
  private readonly events: Record<CacheResult, { inc(): void }>;
  /** Set while Redis is failing, so an outage logs once rather than once per request. */
  private redisFailing = false;

  constructor(
    private readonly spec: CacheSpec<T>,
    private readonly clock: Clock,
    private readonly redis: RedisService,
    counter: Counter<'cache' | 'result'>,
  ) {
    this.logger = new Logger(`Cache:${spec.name}`);
    // Pre-bound label children: the hit path must not hash label sets per request.
    this.events = {
      hit: counter.labels({ cache: spec.name, result: 'hit' }),
      miss: counter.labels({ cache: spec.name, result: 'miss' }),
      error: counter.labels({ cache: spec.name, result: 'error' }),
    };
  }

  /** The fresh in-process value, or undefined. Synchronous: this is the hot path. */
  peek(key: string): T | undefined {
    const entry = this.local.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > this.clock.now()) {
      this.events.hit.inc();
      return entry.value;
    }
    this.local.delete(key);
    return undefined;
  }

  /**
   * The cached value (HIT) or a freshly loaded one (MISS). `bypass` skips both cache layers but
   * still stores the result; concurrent bypassing calls share one load of their own (never one
   * that may answer from Redis).
   */
  async get(
    key: string,
    load: () => Promise<T>,
    bypass = false,
  ): Promise<{ value: T; status: CacheStatus }> {
    if (!bypass) {
      const value = this.peek(key);
      if (value !== undefined) return { value, status: 'HIT' };
    }
    const flightKey = bypass ? `${key}\u0000fresh` : key;
    const pending = this.inflight.get(flightKey);
    if (pending !== undefined) return { value: await pending, status: 'MISS' };
    const started = this.resolve(key, load, bypass);
    const value = started.then((r) => r.value);
    this.inflight.set(flightKey, value);
    const clear = (): void => void this.inflight.delete(flightKey);
    value.then(clear, clear);
    return await started;
  }

  private async resolve(
    key: string,
    load: () => Promise<T>,
    bypass: boolean,
  ): Promise<{ value: T; status: CacheStatus }> {
    if (!bypass) {
      const shared = await this.readShared(key);
      if (shared !== undefined) return { value: shared, status: 'HIT' };
    }
    this.events.miss.inc();
    const value = await load();
    await this.store(key, value);
    return { value, status: 'MISS' };
  }

  private async readShared(key: string): Promise<T | undefined> {
    const client = this.redis.client;
    if (!client || this.spec.ttlMs <= 0) return undefined;
    try {
      const replies = await client
        .pipeline()
        .get(this.redisKey(key))
        .pttl(this.redisKey(key))
        .exec();
      const text = replies?.[0]?.[1];
      const pttl = replies?.[1]?.[1];
      if (typeof text !== 'string' || typeof pttl !== 'number' || pttl <= 0) return undefined;
      this.redisRecovered();
      const value = this.spec.codec.decode(text);
      this.remember(key, value, pttl);
      this.events.hit.inc();
      return value;
    } catch (err) {
      this.failOpen('read', err);
      return undefined;
    }
  }

  private async store(key: string, value: T): Promise<void> {
    const ttlMs = this.spec.ttlMs;
    if (ttlMs <= 0) return;
    this.remember(key, value, ttlMs);
    const client = this.redis.client;
    if (!client) return;
    try {
      await client.set(this.redisKey(key), this.spec.codec.encode(value), 'PX', ttlMs);
      this.redisRecovered();
    } catch (err) {
      this.failOpen('write', err);
    }
  }

  private remember(key: string, value: T, ttlMs: number): void {
    this.local.delete(key);
    if (this.local.size >= (this.spec.maxEntries ?? 1000)) {
      const oldest = this.local.keys().next();
      if (!oldest.done) this.local.delete(oldest.value);
    }
    this.local.set(key, { value, expiresAt: this.clock.now() + ttlMs });
  }

  private redisKey(key: string): string {
    return `cxgw:cache:${this.spec.name}:${createHash('sha256').update(key).digest('hex')}`;
  }

  private failOpen(op: 'read' | 'write', err: unknown): void {
    this.events.error.inc();
    if (this.redisFailing) return;
    this.redisFailing = true;
    this.logger.warn(
      `Redis ${op} failed, serving without the shared cache: ${(err as Error).message}`,
    );
  }

  private redisRecovered(): void {
    if (!this.redisFailing) return;
    this.redisFailing = false;
    this.logger.log('Redis is back; sharing cache entries again');
  }
}

/** Creates the reporting module's caches with the shared clock, Redis and metrics. */
@Injectable()
export class ReportingCacheService {
  constructor(
    private readonly clock: Clock,
    private readonly redis: RedisService,
    private readonly metrics: MetricsService,
  ) {}

  create<T>(spec: CacheSpec<T>): TtlCache<T> {
    return new TtlCache(spec, this.clock, this.redis, this.metrics.cacheEvents);
  }
}
