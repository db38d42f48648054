import type { CacheModuleOptions } from '@nestjs/cache-manager';
import { createKeyv } from '@keyv/redis';
import { Keyv } from 'keyv';
import type { AppConfig } from '../../config/app-config.types';
import { BoundedMap } from '../../common/concurrency/bounded-map';
import { rowsWeight } from './analytics-cache.types';

/** Memory-mode bounds: entries, and rows held in total (rows dominate an entry's size). */
export const MEMORY_MAX_ENTRIES = 500;
export const MEMORY_MAX_ROWS = 500_000;
/** Connect / reconnect timings of the cache's Redis connection (fail fast, come back). */
const REDIS_CONNECT_TIMEOUT_MS = 2000;

/**
 * Options for CacheModule.registerAsync: Redis through @keyv/redis when a cache URL is set,
 * otherwise a bounded in-memory Keyv. Errors throw (instead of looking like misses) so the
 * analytics cache service can count them and fail open.
 */
export function analyticsCacheOptions(config: AppConfig): CacheModuleOptions {
  const url = config.redis.cacheUrl;
  if (!url) {
    const store = new BoundedMap<string, unknown>(MEMORY_MAX_ENTRIES, MEMORY_MAX_ROWS, rowsWeight);
    // No serializer: entries are held as objects, so a hit costs no JSON parse.
    const keyv = new Keyv({ store, serialize: undefined, deserialize: undefined });
    return { stores: [keyv] };
  }
  const keyv = createKeyv(
    {
      url,
      // Fail fast while Redis is down rather than queueing commands: the query still runs.
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
