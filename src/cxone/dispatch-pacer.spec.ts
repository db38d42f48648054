import { DispatchPacer, PACING_GAIN } from './dispatch-pacer';

describe('DispatchPacer', () => {
  const LATENCY_MS = 50;
  const LIMIT = 16;
  const spacing = LATENCY_MS / (LIMIT * PACING_GAIN);

  it('lets the first window leave at once while no latency is known', () => {
    const pacer = new DispatchPacer();
    const waits = Array.from({ length: LIMIT }, () => pacer.reserve(1000, LIMIT, null));
    expect(waits).toEqual(new Array<number>(LIMIT).fill(0));
  });

  it('spreads a clump of calls over the round trip at the gain × limit ÷ latency', () => {
    const pacer = new DispatchPacer();
    const waits = Array.from({ length: 5 }, () => pacer.reserve(1000, LIMIT, LATENCY_MS));
    // Each call's turn is one spacing after the one before, rounded up to a whole millisecond.
    expect(waits).toEqual([0, 1, 2, 3, 4].map((i) => Math.ceil(i * spacing)));
    expect(waits[4]).toBeGreaterThan(0);
  });

  it('lets a steady flow (at most the gain × the sustained rate) through without waiting', () => {
    const pacer = new DispatchPacer();
    for (let at = 1000; at < 2000; at += spacing) {
      expect(pacer.reserve(at, LIMIT, LATENCY_MS)).toBe(0);
    }
  });

  it('does not sleep a wait under a millisecond: fast calls go together', () => {
    const pacer = new DispatchPacer();
    // 1 ms round trips under a limit of 64: 0.008 ms apart, far below a timer's resolution.
    const waits = Array.from({ length: 100 }, () => pacer.reserve(1000, 64, 1));
    expect(waits.every((w) => w === 0)).toBe(true);
    expect(pacer.reserve(1000, 64, 1)).toBe(0);
  });

  it('forgets a clump once its turns have passed', () => {
    const pacer = new DispatchPacer();
    for (let i = 0; i < LIMIT; i++) pacer.reserve(1000, LIMIT, LATENCY_MS);
    expect(pacer.reserve(1000, LIMIT, LATENCY_MS)).toBe(Math.ceil(LIMIT * spacing));
    expect(pacer.reserve(1000 + LATENCY_MS * 2, LIMIT, LATENCY_MS)).toBe(0);
  });
});
