import { fullBucket, takeTokens } from './token-bucket';

describe('takeTokens (the in-memory token bucket)', () => {
  const spec = { rps: 2, burst: 4 };

  it('grants the burst at once, then one token per 1/rps seconds', () => {
    const state = fullBucket(spec, 0);
    const granted = [1, 2, 3, 4, 5].map(() => takeTokens(state, spec, 1, 0).granted);
    expect(granted).toEqual([1, 1, 1, 1, 0]);
    expect(takeTokens(state, spec, 1, 0).retryMs).toBe(500);
    expect(takeTokens(state, spec, 1, 499).granted).toBe(0);
    expect(takeTokens(state, spec, 1, 500)).toEqual({ granted: 1, retryMs: 0, remaining: 0 });
  });

  it('grants part of a batch, never more than it holds, and never refills past the burst', () => {
    const state = fullBucket(spec, 0);
    expect(takeTokens(state, spec, 3, 0)).toEqual({ granted: 3, retryMs: 0, remaining: 1 });
    expect(takeTokens(state, spec, 3, 0).granted).toBe(1);
    expect(takeTokens(state, spec, 10, 60_000).granted).toBe(4);
  });

  it('says how long until the next whole token when part of one has refilled', () => {
    const state = fullBucket(spec, 0);
    takeTokens(state, spec, 4, 0);
    expect(takeTokens(state, spec, 1, 200).retryMs).toBe(300);
  });

  it('does not refill when the clock goes back (a replica whose clock lags)', () => {
    const state = fullBucket(spec, 10_000);
    takeTokens(state, spec, 4, 10_000);
    expect(takeTokens(state, spec, 1, 9_000).granted).toBe(0);
    expect(takeTokens(state, spec, 1, 10_500).granted).toBe(1);
  });
});
