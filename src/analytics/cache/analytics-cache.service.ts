import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { Cache } from 'cache-manager';
import { createHash } from 'node:crypto';
import { Clock } from '../../common/clock/clock';
import { RedisService } from '../../common/redis/redis.service';
import { APP_CONFIG } from '../../config/config.constants';
import type { AppConfig } from '../../config/app-config.types';
import { MetricsService } from '../../observability/metrics.service';
import { ANALYTICS_CACHE_PREFIX, analyticsCacheKey, NormalizedQuery } from '../analytics-query';
import { MEMORY_MAX_ENTRIES, MEMORY_MAX_WEIGHT } from '../../common/cache/cache-stores';
import {
  AnalyticsLock,
  AnalyticsPayload,
  CachedEntry,
  isCachedEntry,
  rowsWeight,
} from './analytics-cache.types';
import { BoundedMap } from '../../common/concurrency/bounded-map';
import { RedisLock } from '../../common/concurrency/redis-lock';
import { withTimeout } from '../../common/concurrency/with-timeout';
import { SharedCache } from '../../common/cache/shared-cache';

/** How long an expired entry stays stored, to be served STALE while CXone is failing. */
export const STALE_WINDOW_MS = 24 * 3600 * 1000;
/** A cross-replica fetch lock outlives any sane upstream chain, then frees itself. */
export const LOCK_TTL_MS = 30_000;
/** A cache operation slower than this counts as an error (the query runs without the cache). */
const CACHE_OP_TIMEOUT_MS = 1000;
/** After a cache error, readiness reports the cache unhealthy for this long. */
const UNHEALTHY_AFTER_ERROR_MS = 10_000;

export type CacheEventResult = 'hit' | 'miss' | 'stale' | 'error';

/**
 * The one owner of analytics cache keys, TTLs and locks. Redis (via cache-manager + keyv) when
 * configured, else a bounded memory store with an L1 map in front. Every failure fails open:
 * a read error is a miss, a write error is counted and ignored, a lock error lets the caller
 * query. Writes are always awaited.
 */
@Injectable()
export class AnalyticsCacheService implements OnModuleInit {
  private readonly logger = new Logger('AnalyticsCache');
  /** Memory mode only: entries as objects, read without any await on the hot path. */
  private readonly l1?: BoundedMap<string, CachedEntry>;
  private readonly shared: SharedCache;
  private lastErrorAt = -Infinity;
  /** Counted on every hit, fast path included: pre-bound, see MetricsService.cacheEventRecorder. */
  private readonly recordEvent: (result: CacheEventResult) => void;

  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly redis: RedisService,
    private readonly clock: Clock,
    private readonly metrics: MetricsService,
  ) {
    if (!config.redis.cacheUrl) {
      this.l1 = new BoundedMap<string, CachedEntry>(
        MEMORY_MAX_ENTRIES,
        MEMORY_MAX_WEIGHT,
        rowsWeight,
      );
    }
    this.shared = new SharedCache(cache);
    this.recordEvent = metrics.cacheEventRecorder('analytics');
  }

  async onModuleInit(): Promise<void> {
    // Opens the Redis connection now, so readiness and the first query do not wait for it.
    if (!this.l1) await this.read(`${ANALYTICS_CACHE_PREFIX}probe`);
  }

  keyFor(query: NormalizedQuery): string {
    return analyticsCacheKey(query);
  }

  /** Logical TTL of new entries (ANALYTICS_CACHE_TTL_S). */
  get ttlMs(): number {
    return this.config.analytics.cacheTtlS * 1000;
  }

  /** Fresh = within its logical TTL and, when given, no older than `maxAgeS`. */
  isFresh(entry: CachedEntry, maxAgeS?: number): boolean {
    const now = this.clock.now();
    if (now >= entry.expiresAt) return false;
    return maxAgeS === undefined || now - entry.storedAt <= maxAgeS * 1000;
  }

  /** The stored entry (fresh or stale), or undefined on a miss or any cache error. */
  read(key: string): Promise<CachedEntry | undefined> {
    return Promise.resolve(this.readNow(key));
  }

  /**
   * `read`, answered at once in memory mode: the cache-hit fast path asks once per hit, and a
   * promise there would put every replayed answer behind a microtask for nothing.
   */
  readNow(key: string): CachedEntry | undefined | Promise<CachedEntry | undefined> {
    if (this.l1) {
      const entry = this.l1.get(key);
      if (entry && this.clock.now() < entry.expiresAt + STALE_WINDOW_MS) return entry;
      if (entry) this.l1.delete(key);
      return undefined;
    }
    return this.readShared(key);
  }

  private async readShared(key: string): Promise<CachedEntry | undefined> {
    try {
      const value = await withTimeout(this.shared.get<unknown>(key), {
        ms: CACHE_OP_TIMEOUT_MS,
        clock: this.clock,
        what: 'cache operation',
      });
      return isCachedEntry(value) ? value : undefined;
    } catch (err) {
      this.recordError('read', err);
      return undefined;
    }
  }

  /** Stores a payload under `key` and returns the entry (also when the store failed). */
  async write(key: string, payload: AnalyticsPayload): Promise<CachedEntry> {
    const now = this.clock.now();
    const entry: CachedEntry = {
      payload,
      etag: `"${createHash('sha256').update(JSON.stringify(payload)).digest('base64url').slice(0, 32)}"`,
      storedAt: now,
      expiresAt: now + this.ttlMs,
    };
    this.l1?.set(key, entry);
    try {
      // Physically kept past its logical TTL so it can still be served STALE.
      await withTimeout(this.shared.set(key, entry, this.ttlMs + STALE_WINDOW_MS), {
        ms: CACHE_OP_TIMEOUT_MS,
        clock: this.clock,
        what: 'cache operation',
      });
    } catch (err) {
      this.recordError('write', err);
    }
    return entry;
  }

  /**
   * Tries to become the one replica fetching `key` (SET NX PX). Without Redis there are no
   * other replicas; on a Redis error the caller fetches anyway (fail open).
   */
  async tryLock(key: string): Promise<AnalyticsLock> {
    const client = this.redis.client;
    const free: AnalyticsLock = { acquired: true, shared: false, release: () => Promise.resolve() };
    if (!client) return free;
    let held;
    try {
      held = await new RedisLock(client, lockKeyOf(key), LOCK_TTL_MS).tryAcquire();
      if (!held) return { acquired: false, shared: true, release: () => Promise.resolve() };
    } catch (err) {
      this.recordError('lock', err);
      return free;
    }
    const lock = held;
    return {
      acquired: true,
      shared: true,
      release: async () => {
        try {
          await lock.release();
        } catch (err) {
          // The lock expires by itself within LOCK_TTL_MS.
          this.recordError('unlock', err);
        }
      },
    };
  }

  /** Whether another replica still holds the fetch lock of `key` (false on errors). */
  async lockHeld(key: string): Promise<boolean> {
    const client = this.redis.client;
    if (!client) return false;
    try {
      return await new RedisLock(client, lockKeyOf(key), LOCK_TTL_MS).isHeld();
    } catch (err) {
      this.recordError('lock', err);
      return false;
    }
  }

  record(result: CacheEventResult): void {
    this.recordEvent(result);
  }

  /** For readiness: memory mode is always healthy; Redis mode needs a ready, error-free store. */
  cacheHealthy(): boolean {
    if (this.l1) return true;
    const store = this.cache.stores[0]?.store as { client?: { isReady?: boolean } } | undefined;
    const ready = store?.client?.isReady !== false;
    return ready && this.clock.now() - this.lastErrorAt > UNHEALTHY_AFTER_ERROR_MS;
  }

  private recordError(op: string, err: unknown): void {
    const now = this.clock.now();
    // One warning per outage burst, not one per request.
    if (now - this.lastErrorAt > UNHEALTHY_AFTER_ERROR_MS) {
      this.logger.warn(`analytics cache ${op} failed, continuing without it: ${errorText(err)}`);
    }
    this.lastErrorAt = now;
    this.record('error');
  }
}

function lockKeyOf(key: string): string {
  return `${ANALYTICS_CACHE_PREFIX}lock:${key.slice(ANALYTICS_CACHE_PREFIX.length)}`;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
