import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { Clock } from '../../common/clock/clock';
import { AppError } from '../../common/errors/app-error';
import { RedisService } from '../../common/redis/redis.service';
import { APP_CONFIG } from '../../config/config.constants';
import type { AppConfig } from '../../config/app-config.types';
import { KeyRateLimits, limitsOf, RateSpec } from '../../config/rate-limit-config';
import type { Principal } from '../principal';
import type { RouteAccessMeta } from '../route-authorizer';
import { MemoryBuckets } from './memory-buckets';
import { bypassesCache } from './request-cost';
import { SharedBuckets } from './shared-buckets';

type LimitName = 'requests' | 'cache-bypass';

/** What the limiter reads of a request; its decision is kept with the raw request it came on. */
export type LimitedRequest = Pick<FastifyRequest, 'headers' | 'body'> & { raw: IncomingMessage };

/** A key's limits and its bucket ids (built once: no string is made per request). */
interface KeyBuckets {
  limits: KeyRateLimits;
  requests: string;
  bypass: string;
}

/**
 * The per-API-key request limits: every authenticated request takes a token from its key's
 * `requests` bucket, and a request that costs upstream calls whatever the cache holds (see
 * bypassesCache) also one from its lower `cache-bypass` bucket. Beyond either: 429
 * RATE_LIMITED with Retry-After. Shared by all replicas through Redis when it is configured
 * (SharedBuckets), per replica otherwise.
 *
 * The one implementation for both ways in: the guard and the cache-hit fast path call
 * `enforce` after authorising. A request is decided once: when the fast path defers to the
 * normal route, the guard gets the same decision again instead of taking a second token.
 */
@Injectable()
export class RateLimiter {
  private readonly keys = new Map<string, KeyBuckets>();
  private readonly defaults: KeyRateLimits;
  /** By the raw request: the replay before the router and Fastify's request share it. */
  private readonly decided = new WeakMap<IncomingMessage, AppError | null>();
  private readonly memory = new MemoryBuckets();
  private readonly shared: SharedBuckets | undefined;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly clock: Clock,
    redis: RedisService,
  ) {
    this.defaults = config.rateLimit.defaults;
    for (const key of config.apiKeys) {
      this.keys.set(key.name, bucketsOf(key.name, limitsOf(key.rateLimit, this.defaults)));
    }
    this.shared = redis.client ? new SharedBuckets(redis.client, clock, this.memory) : undefined;
  }

  /** The limits that apply to a key (its own over the defaults). */
  limitsFor(name: string): KeyRateLimits {
    return this.bucketsFor(name).limits;
  }

  private bucketsFor(name: string): KeyBuckets {
    let buckets = this.keys.get(name);
    if (!buckets) {
      buckets = bucketsOf(name, this.defaults);
      this.keys.set(name, buckets);
    }
    return buckets;
  }

  /**
   * Admits the request (returns, or resolves, nothing) or throws / rejects with the 429.
   * Synchronous unless Redis has to be asked.
   */
  enforce(
    request: LimitedRequest,
    access: RouteAccessMeta,
    principal: Principal,
  ): void | Promise<void> {
    const earlier = this.decided.get(request.raw);
    if (earlier !== undefined) {
      if (earlier) throw earlier;
      return;
    }
    const buckets = this.bucketsFor(principal.name);
    const bypass = bypassesCache(request, access.upstream);
    const answer = this.take(buckets.requests, buckets.limits.requests);
    // A method, not a closure: in memory mode this is every request's path, cache hits included.
    return typeof answer === 'number'
      ? this.afterRequests(request, principal, buckets, bypass, answer)
      : answer.then((ms) => this.afterRequests(request, principal, buckets, bypass, ms));
  }

  /** The requests bucket has answered: refuse, admit, or ask the cache-bypass bucket too. */
  private afterRequests(
    request: LimitedRequest,
    principal: Principal,
    buckets: KeyBuckets,
    bypass: boolean,
    retryMs: number,
  ): void | Promise<void> {
    const limits = buckets.limits;
    if (retryMs > 0) return this.refuse(request, principal, 'requests', limits.requests, retryMs);
    if (!bypass) {
      this.decided.set(request.raw, null);
      return;
    }
    const second = this.take(buckets.bypass, limits.bypass);
    return typeof second === 'number'
      ? this.settle(request, principal, limits.bypass, second)
      : second.then((ms) => this.settle(request, principal, limits.bypass, ms));
  }

  private settle(
    request: LimitedRequest,
    principal: Principal,
    spec: RateSpec,
    retryMs: number,
  ): void {
    if (retryMs > 0) this.refuse(request, principal, 'cache-bypass', spec, retryMs);
    this.decided.set(request.raw, null);
  }

  /** 0 when a token was taken, else the ms until one will be there. */
  private take(id: string, spec: RateSpec): number | Promise<number> {
    if (spec.rps === 0) return 0;
    if (this.shared) return this.shared.take(id, spec);
    const take = this.memory.take(id, spec, 1, this.clock.now());
    return take.granted > 0 ? 0 : take.retryMs;
  }

  private refuse(
    request: LimitedRequest,
    principal: Principal,
    limit: LimitName,
    spec: RateSpec,
    retryMs: number,
  ): never {
    const error = rateLimited(principal, limit, spec, retryMs);
    this.decided.set(request.raw, error);
    throw error;
  }
}

function bucketsOf(name: string, limits: KeyRateLimits): KeyBuckets {
  return { limits, requests: `${name}:requests`, bypass: `${name}:bypass` };
}

/**
 * The 429: Retry-After in whole seconds (at least 1), and the RateLimit-* fields of the IETF
 * rate-limit headers draft (limit = the burst, remaining 0, reset = Retry-After, the policy as
 * the burst over the seconds it takes to refill).
 */
function rateLimited(
  principal: Principal,
  limit: LimitName,
  spec: RateSpec,
  retryMs: number,
): AppError {
  const retryAfterS = Math.max(1, Math.ceil(retryMs / 1000));
  const what =
    limit === 'requests'
      ? 'requests'
      : 'requests that bypass the cache or always call CXone (Cache-Control: no-cache, cache_ttl: 0, uncached routes)';
  return new AppError(
    'RATE_LIMITED',
    `The API key "${principal.name}" is over its limit of ${spec.rps} ${what} per second ` +
      `(burst ${spec.burst}); retry after ${retryAfterS} s`,
    {
      retryAfterS,
      headers: {
        'ratelimit-limit': String(spec.burst),
        'ratelimit-remaining': '0',
        'ratelimit-reset': String(retryAfterS),
        'ratelimit-policy': `${spec.burst};w=${Math.max(1, Math.ceil(spec.burst / spec.rps))}`,
      },
      extensions: { limit, rps: spec.rps, burst: spec.burst },
    },
  );
}
