import { LearnedRate } from './learned-rate';

const T0 = Date.parse('2026-01-15T12:00:00Z');

describe('LearnedRate', () => {
  it('has no cap until CXone answers 429', () => {
    const sut = new LearnedRate();
    for (let i = 0; i < 100; i++) sut.onAccepted(T0 + i * 5);
    expect(sut.rate).toBeNull();
    expect(sut.probe(T0 + 5000)).toBeNull();
  });

  it('caps at 70 % of what CXone accepted in the second before the 429', () => {
    const sut = new LearnedRate();
    for (let i = 0; i < 60; i++) sut.onAccepted(T0 + 400 + i * 10); // 60 in 0.6 s
    const change = sut.onRateLimited(T0 + 1000);
    expect(sut.rate).toBe(42);
    expect(change).toMatchObject({ from: null, to: 42 });
    expect(change?.reason).toBe(
      'CXone answered HTTP 429 after accepting 60 calls in the last second',
    );
  });

  it('counts only the last second', () => {
    const sut = new LearnedRate();
    for (let i = 0; i < 50; i++) sut.onAccepted(T0 + i * 10); // all within the first 0.5 s
    expect(sut.acceptedLastSecond(T0 + 900)).toBe(50);
    expect(sut.acceptedLastSecond(T0 + 1300)).toBeLessThan(50);
    expect(sut.acceptedLastSecond(T0 + 2000)).toBe(0);
  });

  it('cuts once for the 429s of one burst, again a second later', () => {
    const sut = new LearnedRate();
    for (let i = 0; i < 40; i++) sut.onAccepted(T0 + i * 20);
    sut.onRateLimited(T0 + 800);
    const first = sut.rate ?? 0;
    for (let i = 0; i < 5; i++) expect(sut.onRateLimited(T0 + 810 + i)).toBeNull();
    expect(sut.rate).toBe(first);
    for (let i = 0; i < 20; i++) sut.onAccepted(T0 + 1000 + i * 40);
    sut.onRateLimited(T0 + 1900);
    expect(sut.rate).toBeLessThan(first);
  });

  it('takes the tenant-wide count when replicas share one', () => {
    const sut = new LearnedRate();
    sut.onAccepted(T0);
    sut.onRateLimited(T0 + 10, 80);
    expect(sut.rate).toBe(56);
  });

  it('probes upwards only while the cap holds calls back and no 429 came', () => {
    const sut = new LearnedRate();
    for (let i = 0; i < 100; i++) sut.onAccepted(T0 + 100 + i * 8);
    sut.onRateLimited(T0 + 950); // 100 accepted in the second: 70/s
    expect(sut.probe(T0 + 5000)).toBeNull(); // never bound: no probe
    expect(sut.rate).toBe(70);
    sut.onBound(T0 + 5500);
    sut.probe(T0 + 5600);
    sut.onBound(T0 + 6600);
    const change = sut.probe(T0 + 6700);
    expect(sut.rate).toBeCloseTo(73.5, 5); // +5 % after a bound second
    expect(change?.reason).toMatch(/probing upwards/);
  });

  it('never goes below 1/s', () => {
    const sut = new LearnedRate();
    sut.onRateLimited(T0);
    expect(sut.rate).toBe(1);
  });
});
