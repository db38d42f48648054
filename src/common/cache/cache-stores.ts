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
  return { stores: [keyv] };
}
