import { OutageBreaker } from './outage-breaker';

describe('OutageBreaker', () => {
  it('opens after `threshold` consecutive failures when most recent calls failed', () => {
    const sut = new OutageBreaker(3);
    expect(sut.failure()).toBe(false);
    expect(sut.failure()).toBe(false);
    expect(sut.failure()).toBe(true);
  });

  it('ignores a short run of failures amid mostly successful calls', () => {
    const sut = new OutageBreaker(5);
    for (let i = 0; i < 15; i++) sut.success();
    const opened = Array.from({ length: 5 }, () => sut.failure());
    expect(opened).toEqual([false, false, false, false, false]);
  });

  it('still opens on a real outage after a healthy period', () => {
    const sut = new OutageBreaker(5);
    for (let i = 0; i < 20; i++) sut.success();
    const opened = Array.from({ length: 10 }, () => sut.failure());
    expect(opened.indexOf(true)).toBe(9); // 10 of the last 20 failed
  });

  it('never opens under a steady 20 % error rate', () => {
    const sut = new OutageBreaker(5);
    let opened = false;
    // Deterministic pattern with runs of up to five failures, 20 % overall.
    const pattern = [...Array(20).fill(false), ...Array(5).fill(true)];
    for (let i = 0; i < 10_000; i++) {
      opened ||= pattern[i % pattern.length] ? sut.failure() : (sut.success(), false);
    }
    expect(opened).toBe(false);
  });
});
