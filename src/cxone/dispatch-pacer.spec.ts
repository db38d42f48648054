import { DispatchPacer, PACING_GAIN } from './dispatch-pacer';

describe('DispatchPacer', () => {
  const LATENCY_MS = 50;
  const LIMIT = 16;
  const spacing = LATENCY_MS / (LIMIT * PACING_GAIN);
  /** `count` calls asking at the same instant, the i-th with i calls already out. */
  const clump = (pacer: DispatchPacer, count: number, latency: number | null, limit = LIMIT) =>
    Array.from({ length: count }, (_, i) => pacer.reserve(1000, limit, latency, i));

  it('lets the first window leave at once while no latency is known', () => {
    expect(clump(new DispatchPacer(), LIMIT, null)).toEqual(new Array<number>(LIMIT).fill(0));
  });

  it('spreads a clump of calls over the round trip at the gain × limit ÷ latency', () => {
    const waits = clump(new DispatchPacer(), 5, LATENCY_MS);
    // Each call's turn is one spacing after the one before, rounded up to a whole millisecond.
    expect(waits).toEqual([0, 1, 2, 3, 4].map((i) => Math.ceil(i * spacing)));
    expect(waits[4]).toBeGreaterThan(0);
  });

  it('lets a steady flow (at most the gain × the sustained rate) through without waiting', () => {
    const pacer = new DispatchPacer();
    for (let at = 1000; at < 2000; at += spacing) {
      expect(pacer.reserve(at, LIMIT, LATENCY_MS, LIMIT - 1)).toBe(0);
    }
  });

  it('does not sleep a wait under a millisecond: fast calls go together', () => {
    // 1 ms round trips under a limit of 64: 0.008 ms apart, far below a timer's resolution.
    const waits = clump(new DispatchPacer(), 64, 1, 64);
    expect(waits.every((w) => w === 0)).toBe(true);
  });

  it('lets a call with none out go at once: calls one after another are no clump', () => {
    const pacer = new DispatchPacer();
    clump(pacer, LIMIT, LATENCY_MS);
    expect(pacer.reserve(1000, LIMIT, LATENCY_MS, 0)).toBe(0);
    // And the next call with one out takes its turn after that one.
    expect(pacer.reserve(1000, LIMIT, LATENCY_MS, 1)).toBe(Math.ceil(spacing));
  });

  it('forgets a clump once its turns have passed', () => {
    const pacer = new DispatchPacer();
    clump(pacer, LIMIT, LATENCY_MS);
    expect(pacer.reserve(1000, LIMIT, LATENCY_MS, LIMIT - 1)).toBe(Math.ceil(LIMIT * spacing));
    expect(pacer.reserve(1000 + LATENCY_MS * 2, LIMIT, LATENCY_MS, LIMIT - 1)).toBe(0);
  });
});
