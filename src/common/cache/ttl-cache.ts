import { Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Clock } from '../clock/clock';
import { SingleFlight } from '../concurrency/single-flight';
import type { SharedCache } from './shared-cache';

export type CacheStatus = 'HIT' | 'MISS';
export type CacheEvent = 'hit' | 'miss' | 'error';

/** How one cache stores its values in the shared store (the in-process copy keeps the object). */
export interface CacheCodec<T> {
  encode(value: T): string;
  /** Throws on a value it cannot read; the entry is then treated as a miss. */
  decode(text: string): T;
}

export interface TtlCacheSpec<T> {
  /** Cache name, for logs and shared-store keys. */
  name: string;
  ttlMs: number;
  codec: CacheCodec<T>;
  /** In-process entries kept at most (oldest dropped first). */
  maxEntries?: number;
  /** Told about every hit, miss and shared-store error (metrics). */
  onEvent?: (event: CacheEvent) => void;
}

interface LocalEntry<T> {
  value: T;
  expiresAt: number;
  version: string;
}

/** What the shared store holds: the encoded value and its absolute expiry. */
interface SharedEntry {
  v: string;
  exp: number;
}

function isSharedEntry(value: unknown): value is SharedEntry {
  const e = value as Partial<SharedEntry> | null | undefined;
  return typeof e?.v === 'string' && typeof e.exp === 'number';
}

/**
 * A short-TTL cache: an in-process map first (a fresh local copy never costs a round trip), then
 * the shared cache-manager store when Redis is configured so replicas share entries, then the
 * loader — with single-flight, so any number of identical concurrent misses make one load.
 * Shared-store errors are counted and ignored (fail open): the cache only ever saves work.
 */
export class TtlCache<T> {
  private readonly logger: Logger;
  private readonly local = new Map<string, LocalEntry<T>>();
  /** Counter behind entry versions: every stored entry gets a new one. */
  private versions = 0;
  private readonly flights = new SingleFlight<{ value: T; status: CacheStatus }>();
  /** Set while the shared store is failing, so an outage logs once rather than per request. */
  private sharedFailing = false;

  constructor(
    private readonly spec: TtlCacheSpec<T>,
    private readonly clock: Clock,
    /** The shared store; undefined in memory mode (one process: the local map is the cache). */
    private readonly shared: SharedCache | undefined,
  ) {
    this.logger = new Logger(`Cache:${spec.name}`);
  }

  /** The fresh in-process value, or undefined. Synchronous: this is the hot path. */
  peek(key: string): T | undefined {
    return this.peekEntry(key)?.value;
  }

  /**
   * The fresh in-process value with its version (which changes whenever the entry is stored
   * again), counted as a hit; undefined when there is none.
   */
  peekEntry(key: string): { value: T; version: string } | undefined {
    const entry = this.local.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > this.clock.now()) {
      this.spec.onEvent?.('hit');
      return { value: entry.value, version: entry.version };
    }
    this.local.delete(key);
    return undefined;
  }

  /** The version of the fresh in-process entry of `key` (no hit counted), or undefined. */
  versionOf(key: string): string | undefined {
    const entry = this.local.get(key);
    return entry && entry.expiresAt > this.clock.now() ? entry.version : undefined;
  }

  /**
   * The cached value (HIT) or a freshly loaded one (MISS). `bypass` skips both cache layers but
   * still stores the result; concurrent bypassing calls share one load of their own (never one
   * that may answer from the shared store).
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
    // Joiners of a flight get its value; a joined load is a miss for them too.
    let joined = true;
    const result = await this.flights.run(flightKey, () => {
      joined = false;
      return this.resolve(key, load, bypass);
    });
    return joined ? { value: result.value, status: 'MISS' } : result;
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
    this.spec.onEvent?.('miss');
    const value = await load();
    await this.store(key, value);
    return { value, status: 'MISS' };
  }

  private async readShared(key: string): Promise<T | undefined> {
    if (!this.shared || this.spec.ttlMs <= 0) return undefined;
    try {
      const entry = await this.shared.get<unknown>(this.sharedKey(key));
      this.sharedRecovered();
      const ttlMs = isSharedEntry(entry) ? entry.exp - this.clock.now() : 0;
      if (!isSharedEntry(entry) || ttlMs <= 0) return undefined;
      const value = this.spec.codec.decode(entry.v);
      this.remember(key, value, ttlMs);
      this.spec.onEvent?.('hit');
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
    if (!this.shared) return;
    const entry: SharedEntry = { v: this.spec.codec.encode(value), exp: this.clock.now() + ttlMs };
    try {
      await this.shared.set(this.sharedKey(key), entry, ttlMs);
      this.sharedRecovered();
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
    this.versions += 1;
    this.local.set(key, {
      value,
      expiresAt: this.clock.now() + ttlMs,
      version: String(this.versions),
    });
  }

  private sharedKey(key: string): string {
    return `cxgw:cache:${this.spec.name}:${createHash('sha256').update(key).digest('hex')}`;
  }

  private failOpen(op: 'read' | 'write', err: unknown): void {
    this.spec.onEvent?.('error');
    if (this.sharedFailing) return;
    this.sharedFailing = true;
    this.logger.warn(`shared cache ${op} failed, serving without it: ${(err as Error).message}`);
  }

  private sharedRecovered(): void {
    if (!this.sharedFailing) return;
    this.sharedFailing = false;
    this.logger.log('the shared cache is back; sharing entries again');
  }
}
