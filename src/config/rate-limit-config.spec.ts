import { ConfigError } from './env-parsers';
import { limitsOf, parseRateLimitConfig } from './rate-limit-config';

describe('parseRateLimitConfig', () => {
  it('defaults to 50 requests/s (burst 100) and 2 cache-bypassing requests/s (burst 10)', () => {
    expect(parseRateLimitConfig({}).defaults).toEqual({
      requests: { rps: 50, burst: 100 },
      bypass: { rps: 2, burst: 10 },
    });
  });

  it('derives each burst from its own rate unless given, and 0 turns a limit off', () => {
    expect(
      parseRateLimitConfig({ RATE_LIMIT_RPS: '7.5', RATE_LIMIT_BYPASS_RPS: '0' }).defaults,
    ).toEqual({ requests: { rps: 7.5, burst: 15 }, bypass: { rps: 0, burst: 1 } });
    expect(
      parseRateLimitConfig({ RATE_LIMIT_BURST: '3', RATE_LIMIT_BYPASS_BURST: '1' }).defaults,
    ).toEqual({ requests: { rps: 50, burst: 3 }, bypass: { rps: 2, burst: 1 } });
  });

  it.each([
    ['RATE_LIMIT_RPS', '-1'],
    ['RATE_LIMIT_RPS', 'fast'],
    ['RATE_LIMIT_BYPASS_RPS', '1e3'],
    ['RATE_LIMIT_BURST', '0'],
    ['RATE_LIMIT_BYPASS_BURST', '2.5'],
  ])('refuses %s=%s naming the variable', (name, value) => {
    expect(() => parseRateLimitConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => parseRateLimitConfig({ [name]: value })).toThrow(name);
  });
});

describe('limitsOf (a key over the defaults)', () => {
  const defaults = parseRateLimitConfig({}).defaults;

  it('is the defaults for a key without its own', () => {
    expect(limitsOf(undefined, defaults)).toBe(defaults);
  });

  it('takes the fields a key sets; a rate without a burst gets the burst of that rate', () => {
    expect(limitsOf({ rps: 5, bypassRps: 1 }, defaults)).toEqual({
      requests: { rps: 5, burst: 10 },
      bypass: { rps: 1, burst: 5 },
    });
    expect(limitsOf({ burst: 3 }, defaults)).toEqual({
      requests: { rps: 50, burst: 3 },
      bypass: defaults.bypass,
    });
  });
});
