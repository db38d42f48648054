import { AdaptiveLimit, DEFAULT_LIMIT_OPTIONS, type LimitSample } from './adaptive-limit';

const T0 = Date.parse('2026-01-15T12:00:00Z');

/** A limiter and a clock of our own: samples carry the time, nothing sleeps. */
function setup(options: Partial<typeof DEFAULT_LIMIT_OPTIONS> = {}) {
  const sut = new AdaptiveLimit({ ...DEFAULT_LIMIT_OPTIONS, initial: 8, ...options });
  let now = T0;
  const feed = (sample: Partial<LimitSample>, stepMs = 0) => {
    now += stepMs;
    return sut.onSample({ at: now, latencyMs: 50, outcome: 'ok', inFlight: sut.limit, ...sample });
  };
  return { sut, feed, now: () => now };
}

describe('AdaptiveLimit', () => {
  it('starts at the initial limit (16 by default), within the ceiling', () => {
    expect(new AdaptiveLimit().limit).toBe(16);
    expect(setup().sut.limit).toBe(8);
    expect(setup({ max: 4 }).sut.limit).toBe(4);
  });

  it('grows by one at most every 500 ms while calls succeed at flat latency and the limit is in use', () => {
    const { sut, feed } = setup();
    for (let i = 0; i < 9; i++) feed({}, 100); // 900 ms of successes at 50 ms
    expect(sut.limit).toBe(9);
    for (let i = 0; i < 30; i++) feed({}, 100); // 3 s more
    expect(sut.limit).toBe(15);
    expect(sut.lastChange).toMatchObject({
      from: 14,
      to: 15,
      reason: expect.stringContaining('latency is flat'),
    });
  });

  it('does not grow while the limit is not in use', () => {
    const { sut, feed } = setup();
    for (let i = 0; i < 50; i++) feed({ inFlight: 1 }, 100);
    expect(sut.limit).toBe(8);
  });

  it('shrinks by 10 % when recent latency rises past twice the baseline', () => {
    const { sut, feed } = setup({ initial: 20 });
    for (let i = 0; i < 5; i++) feed({ latencyMs: 50 }, 10);
    for (let i = 0; i < 10; i++) feed({ latencyMs: 400 }, 400);
    expect(sut.limit).toBeLessThan(20);
    expect(sut.lastChange?.reason).toMatch(/latency rose to \d+ ms \(baseline 5\d ms\)/);
  });

  it('compares latency per kind of call: a slow endpoint next to a fast one is no rise', () => {
    const { sut, feed } = setup({ initial: 20 });
    for (let i = 0; i < 20; i++) {
      feed({ key: 'token', latencyMs: 20 }, 50);
      feed({ key: 'skillSummary', latencyMs: 400 }, 50);
    }
    expect(sut.limit).toBeGreaterThanOrEqual(20);
    // The same endpoint turning 8× slower still narrows the limit.
    for (let i = 0; i < 10; i++) feed({ key: 'token', latencyMs: 160 }, 200);
    expect(sut.limit).toBeLessThan(20);
  });

  it.each([
    ['429', { status: 429 }],
    ['503', { status: 503 }],
    ['a timeout', {}],
  ])('halves the limit on %s', (_what, extra) => {
    const { sut, feed } = setup({ initial: 16 });
    feed({}, 10);
    const change = feed({ outcome: 'overload', ...extra }, 50);
    expect(sut.limit).toBe(8);
    expect(change).toMatchObject({ from: 16, to: 8 });
  });

  it('cuts once for the answers to calls sent together, again after a round trip', () => {
    const { sut, feed } = setup({ initial: 16 });
    feed({}, 10);
    for (let i = 0; i < 6; i++) feed({ outcome: 'overload', status: 429 }, 2);
    expect(sut.limit).toBe(8);
    feed({ outcome: 'overload', status: 429 }, 60);
    expect(sut.limit).toBe(4);
  });

  it('holds for Retry-After: no growth until it ends, and says until when', () => {
    const { sut, feed, now } = setup({ initial: 16 });
    feed({}, 10);
    feed({ outcome: 'overload', status: 429, retryAfterMs: 2000 }, 10);
    const until = now() + 2000;
    expect(sut.holdUntil(now())).toBe(until);
    expect(sut.lastChange?.reason).toBe('CXone answered HTTP 429, holding 2000 ms');
    for (let i = 0; i < 15; i++) feed({}, 100); // 1.5 s of successes inside the hold
    expect(sut.limit).toBe(8);
    feed({}, 600);
    expect(sut.holdUntil(now())).toBe(0);
    expect(sut.limit).toBe(9);
  });

  it('never goes above the ceiling nor below one', () => {
    const { sut, feed } = setup({ initial: 3, max: 5 });
    for (let i = 0; i < 100; i++) feed({}, 100);
    expect(sut.limit).toBe(5);
    for (let i = 0; i < 10; i++) feed({ outcome: 'overload', status: 503 }, 1000);
    expect(sut.limit).toBe(1);
  });

  it('ignores failures that say nothing about load', () => {
    const { sut, feed } = setup();
    for (let i = 0; i < 10; i++) feed({ outcome: 'ignored' }, 1000);
    expect(sut.limit).toBe(8);
    expect(sut.lastChange).toBeNull();
  });

  it('adopts a limit another replica decided, and a longer hold', () => {
    const { sut, now } = setup();
    sut.adopt({ at: now(), from: 8, to: 3, reason: 'CXone answered HTTP 429' });
    sut.extendHold(now() + 1000);
    sut.extendHold(now() + 10);
    expect(sut.limit).toBe(3);
    expect(sut.holdUntil(now())).toBe(now() + 1000);
  });
});
