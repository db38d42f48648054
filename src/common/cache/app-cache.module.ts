import { CACHE_MANAGER, CacheModule } from '@nestjs/cache-manager';
import { DynamicModule, Global, Inject, Injectable, Module } from '@nestjs/common';
import type { Cache } from 'cache-manager';
import { APP_CONFIG } from '../../config/config.constants';
import type { AppConfig } from '../../config/app-config.types';
import { Clock } from '../clock/clock';
import { cacheStoreOptions, type CacheWeigher } from './cache-stores';
import { SharedCache } from './shared-cache';
import { TtlCache, type TtlCacheSpec } from './ttl-cache';

/** Creates short-TTL caches over the one cache stack, shared across replicas when Redis is set. */
@Injectable()
export class TtlCacheFactory {
  private readonly shared: SharedCache | undefined;

  constructor(
    @Inject(CACHE_MANAGER) cache: Cache,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly clock: Clock,
  ) {
    // Memory mode: one process, so each cache's own in-process map is the whole cache.
    this.shared = config.redis.cacheUrl ? new SharedCache(cache) : undefined;
  }

  create<T>(spec: TtlCacheSpec<T>): TtlCache<T> {
    return new TtlCache(spec, this.clock, this.shared);
  }
}

/**
 * The one cache stack of the gateway: @nestjs/cache-manager (CACHE_MANAGER) over Redis through
 * @keyv/redis, or a bounded memory store without Redis. Analytics uses CACHE_MANAGER directly;
 * short-TTL caches (queue statistics) come from TtlCacheFactory over the same store.
 */
@Global()
@Module({})
export class AppCacheModule {
  static forRoot(options: { weigh?: CacheWeigher } = {}): DynamicModule {
    return {
      module: AppCacheModule,
      imports: [
        CacheModule.registerAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => cacheStoreOptions(config, options.weigh),
        }),
      ],
      providers: [TtlCacheFactory],
      exports: [CacheModule, TtlCacheFactory],
    };
  }
}
