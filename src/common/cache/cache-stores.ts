import type { CacheModuleOptions } from '@nestjs/cache-manager';
import { createKeyv } from '@keyv/redis';
import { Keyv } from 'keyv';
import type { AppConfig } from '../../config/app-config.types';
import { BoundedMap } from '../concurrency/bounded-map';

/** Memory-mode bounds: entries, and their total weight (what `weigh` counts, e.g. rows). */
export const MEMORY_MAX_ENTRIES = 500;
export const MEMORY_MAX_WEIGHT = 500_000;
/** Connect / reconnect timings of the cache's Redis connection (fail fast, come back). */
const REDIS_CONNECT_TIMEOUT_MS = 2000;

/** Weight of a memory-store value; Keyv wraps values in `{value}`. Default: every entry 1. */
export type CacheWeigher = (value: unknown) => number;

/**
 * The gateway's one cache stack, for CacheModule.registerAsync: cache-manager over Redis through
 * @keyv/redis when a cache URL is set, otherwise a bounded in-memory Keyv. Errors throw (instead
 * of looking like misses) so each cache user can count them and fail open.
 */
export function cacheStoreOptions(config: AppConfig, weigh?: CacheWeigher): CacheModuleOptions {
  const url = config.redis.cacheUrl;
  if (!url) {
    const store = new BoundedMap<string, unknown>(MEMORY_MAX_ENTRIES, MEMORY_MAX_WEIGHT, weigh);
    // No serializer: entries are held as objects, so a hit costs no JSON parse.
    const keyv = new Keyv({ store, serialize: undefined, deserialize: undefined });
    return { stores: [keyv] };
  }
  const keyv = createKeyv(
    {
      url,
      // Fail fast while Redis is down rather than queueing commands: the request still runs.
      disableOfflineQueue: true,
      socket: {
        connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
        reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2000),
      },
    },
    { throwOnErrors: true, throwOnConnectError: true, connectionTimeout: REDIS_CONNECT_TIMEOUT_MS },
  );
  // Errors are counted where operations fail; without a listener an 'error' event would throw.
  keyv.on('error', () => undefined);
  clearConnectTimerOnSettle(keyv.store as ConnectRacingStore);
  return { stores: [keyv] };
}

/** The part of @keyv/redis's store that races the first connect against a timer. */
interface ConnectRacingStore {
  client: { once(event: 'ready' | 'end', listener: () => void): unknown };
  createTimeoutPromise(timeoutMs: number): Promise<never>;
}

/**
 * @keyv/redis races its first connect against a timer it never clears, so a gateway closed
 * within the connect timeout keeps the process alive until that timer fires. Same race, same
 * error, but the timer goes as soon as the connection is ready or ends.
 */
function clearConnectTimerOnSettle(store: ConnectRacingStore): void {
  store.createTimeoutPromise = (timeoutMs) =>
    new Promise<never>((_, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`Redis timed out after ${timeoutMs}ms`)),
        timeoutMs,
      );
      const clear = (): void => clearTimeout(timer);
      store.client.once('ready', clear);
      store.client.once('end', clear);
    });
}
