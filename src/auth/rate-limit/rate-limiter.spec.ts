import { FakeClock } from '../../common/clock/fake-clock.fake';
import { AppError } from '../../common/errors/app-error';
import { RedisService } from '../../common/redis/redis.service';
import { sha256Hex } from '../../config/api-keys';
import { parseConfig } from '../../config/app-config';
import type { RouteAccessMeta } from '../route-authorizer';
import { RateLimiter, type LimitedRequest } from './rate-limiter';
import { bypassesCache } from './request-cost';

const config = parseConfig({
  RATE_LIMIT_RPS: '1',
  RATE_LIMIT_BURST: '3',
  RATE_LIMIT_BYPASS_RPS: '1',
  RATE_LIMIT_BYPASS_BURST: '1',
  API_KEYS: JSON.stringify([
    { name: 'a', sha256: sha256Hex('a'), scopes: [] },
    { name: 'b', sha256: sha256Hex('b'), scopes: [], rateLimit: { burst: 5 } },
  ]),
});
const cached: RouteAccessMeta = {
  isPublic: false,
  scopes: [],
  auditAction: 'x',
  upstream: 'unless-cached',
};
/** A request as the limiter reads it; its decision is kept with `raw` (one per request). */
const fakeRequest = (headers: Record<string, string> = {}, body?: unknown): LimitedRequest =>
  ({ headers, body, raw: {} }) as unknown as LimitedRequest;

function outcome(fn: () => unknown): string {
  try {
    fn();
    return 'admitted';
  } catch (err) {
    return err instanceof AppError ? `${err.code}:${String(err.extensions?.limit)}` : 'other';
  }
}

describe('RateLimiter (memory mode)', () => {
  let clock: FakeClock;
  let sut: RateLimiter;
  beforeEach(() => {
    clock = new FakeClock();
    sut = new RateLimiter(config, clock, new RedisService(config));
  });

  it('decides a request once: asking again for the same request takes no second token', () => {
    const request = fakeRequest();
    for (let i = 0; i < 5; i++)
      expect(outcome(() => sut.enforce(request, cached, { name: 'a', scopes: [] }))).toBe(
        'admitted',
      );
    expect(outcome(() => sut.enforce(fakeRequest(), cached, { name: 'a', scopes: [] }))).toBe(
      'admitted',
    );
    expect(outcome(() => sut.enforce(fakeRequest(), cached, { name: 'a', scopes: [] }))).toBe(
      'admitted',
    );
    const refused = fakeRequest();
    expect(outcome(() => sut.enforce(refused, cached, { name: 'a', scopes: [] }))).toBe(
      'RATE_LIMITED:requests',
    );
    // The same refusal again (the fast path deferring to the guard), even once tokens are back.
    clock.set(clock.now() + 60_000);
    expect(outcome(() => sut.enforce(refused, cached, { name: 'a', scopes: [] }))).toBe(
      'RATE_LIMITED:requests',
    );
  });

  it('limits refreshes with the bypass bucket and keys apart, each with its own limits', () => {
    const refresh = () => fakeRequest({ 'cache-control': 'no-cache' });
    const a = { name: 'a', scopes: [] };
    expect(outcome(() => sut.enforce(refresh(), cached, a))).toBe('admitted');
    expect(outcome(() => sut.enforce(refresh(), cached, a))).toBe('RATE_LIMITED:cache-bypass');
    expect(outcome(() => sut.enforce(fakeRequest(), cached, a))).toBe('admitted');
    expect(sut.limitsFor('b').requests).toEqual({ rps: 1, burst: 5 });
    expect(outcome(() => sut.enforce(refresh(), cached, { name: 'b', scopes: [] }))).toBe(
      'admitted',
    );
  });

  it('puts Retry-After and the RateLimit fields on the 429', () => {
    const a = { name: 'a', scopes: [] };
    // Memory mode decides synchronously: enforce returns nothing or throws.
    for (let i = 0; i < 3; i++) expect(sut.enforce(fakeRequest(), cached, a)).toBeUndefined();
    let error: AppError | undefined;
    try {
      expect(sut.enforce(fakeRequest(), cached, a)).toBeUndefined();
    } catch (err) {
      error = err as AppError;
    }
    expect(error?.retryAfterS).toBe(1);
    expect(error?.headers).toEqual({
      'ratelimit-limit': '3',
      'ratelimit-remaining': '0',
      'ratelimit-reset': '1',
      'ratelimit-policy': '3;w=3',
    });
    expect(error?.message).toContain('"a"');
  });
});

describe('bypassesCache', () => {
  it.each([
    [{}, undefined, 'unless-cached', false],
    [{ 'cache-control': 'no-cache' }, undefined, 'unless-cached', true],
    [{ 'cache-control': 'max-age=0, private' }, undefined, 'unless-cached', true],
    [{ 'cache-control': 'No-Cache' }, undefined, 'unless-cached', true],
    [{ 'cache-control': 'max-age=60' }, undefined, 'unless-cached', false],
    [{}, { cache_ttl: 0 }, 'unless-cached', true],
    [{}, { cache_ttl: 60 }, 'unless-cached', false],
    [{}, undefined, 'always', true],
    [{ 'cache-control': 'no-cache' }, { cache_ttl: 0 }, undefined, false],
  ] as const)('headers %j, body %j on a route costing %s: %s', (headers, body, cost, expected) => {
    expect(bypassesCache(fakeRequest(headers, body), cost)).toBe(expected);
  });
});
