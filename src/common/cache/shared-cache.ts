import type { Cache } from 'cache-manager';

/**
 * cache-manager over the one cache store, with failures made visible: cache-manager reports a
 * failed `get` as a miss plus a 'get' event, which would hide a Redis outage from readiness and
 * metrics. Reads here throw instead, so each user counts the error and fails open knowingly.
 */
export class SharedCache {
  private readonly failedGets = new Set<string>();

  constructor(readonly cache: Cache) {
    cache.on('get', ({ key, error }) => {
      if (error !== undefined) this.failedGets.add(key);
    });
  }

  /** The stored value or undefined; throws when the store failed. */
  async get<T>(key: string): Promise<T | undefined> {
    this.failedGets.delete(key);
    const value = await this.cache.get<T>(key);
    if (this.failedGets.delete(key)) throw new Error('cache store get failed');
    return value ?? undefined;
  }

  /** Stores `value` for `ttlMs`; rejects when the store failed. */
  async set(key: string, value: unknown, ttlMs: number): Promise<void> {
    await this.cache.set(key, value, ttlMs);
  }
}
