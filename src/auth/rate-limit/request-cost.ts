import type { FastifyRequest } from 'fastify';

/**
 * What a route's requests cost upstream, as the route declares it (RouteAccess `upstream`):
 * `unless-cached` for cached reads, where a refresh goes to CXone; `always` for reads and writes
 * that call CXone every time. Undefined: answered by the gateway itself.
 */
export type UpstreamCost = 'always' | 'unless-cached';

/** Metadata key of a route's UpstreamCost (set by RouteAccess, read by the guard). */
export const UPSTREAM_COST_KEY = 'cxgw:upstream-cost';

/**
 * Whether this request costs upstream calls whatever the cache holds, and so counts against
 * the key's cache-bypass limit: on an `always` route every request; on a cached route a
 * refresh, asked for with `Cache-Control: no-cache` or `max-age=0`, or `cache_ttl: 0` in the
 * body (the compat analytics route's "no older than" in seconds).
 */
export function bypassesCache(
  request: Pick<FastifyRequest, 'headers' | 'body'>,
  cost: UpstreamCost | undefined,
): boolean {
  if (cost === undefined) return false;
  if (cost === 'always') return true;
  const cacheControl = request.headers['cache-control'];
  // Loose on purpose: whatever any cached route reads as a refresh must count here.
  if (typeof cacheControl === 'string' && /no-cache|max-age=0/i.test(cacheControl)) return true;
  const body = request.body as { cache_ttl?: unknown } | null | undefined;
  return typeof body === 'object' && body !== null && body.cache_ttl === 0;
}
