import { FakeClock } from '../clock/fake-clock.fake';
import { fullJitterBackoffMs, parseRetryAfterMs, planRetryDelay } from './backoff';

const opts = (random: number) => ({ baseMs: 100, maxMs: 1000, random: () => random });

describe('fullJitterBackoffMs', () => {
  it('draws uniformly below an exponentially growing ceiling', () => {
    expect(fullJitterBackoffMs(1, opts(0.5))).toBe(50);
    expect(fullJitterBackoffMs(2, opts(0.5))).toBe(100);
    expect(fullJitterBackoffMs(3, opts(0.5))).toBe(200);
    expect(fullJitterBackoffMs(3, opts(0))).toBe(0);
    expect(fullJitterBackoffMs(3, opts(0.999))).toBe(399);
  });

  it('caps the ceiling at maxMs', () => {
    expect(fullJitterBackoffMs(20, opts(0.999))).toBe(999);
  });
});

describe('parseRetryAfterMs', () => {
  const clock = new FakeClock(Date.parse('2026-01-15T12:00:00Z'));

  it('reads delta-seconds', () => {
    expect(parseRetryAfterMs('2', clock.now())).toBe(2000);
    expect(parseRetryAfterMs(' 0 ', clock.now())).toBe(0);
  });

  it('reads an HTTP date relative to the injected clock', () => {
    expect(parseRetryAfterMs('Thu, 15 Jan 2026 12:00:05 GMT', clock.now())).toBe(5000);
    expect(parseRetryAfterMs('Thu, 15 Jan 2026 11:00:00 GMT', clock.now())).toBe(0);
  });

  it('ignores absent or garbage values', () => {
    expect(parseRetryAfterMs(undefined, clock.now())).toBeUndefined();
    expect(parseRetryAfterMs('soon', clock.now())).toBeUndefined();
    expect(parseRetryAfterMs('-3', clock.now())).toBeUndefined();
  });
});

describe('planRetryDelay', () => {
  const now = 1_000_000;

  it('waits at least Retry-After', () => {
    const d = planRetryDelay(
      { attempt: 1, retryAfterMs: 700, deadlineAt: now + 5000, nowMs: now },
      opts(0.1),
    );
    expect(d).toEqual({ kind: 'wait', delayMs: 700 });
  });

  it('keeps the jittered backoff when it is longer than Retry-After', () => {
    const d = planRetryDelay(
      { attempt: 4, retryAfterMs: 100, deadlineAt: now + 5000, nowMs: now },
      opts(0.9),
    );
    expect(d).toEqual({ kind: 'wait', delayMs: 720 });
  });

  it('fails fast when Retry-After outlasts the deadline', () => {
    const d = planRetryDelay(
      { attempt: 1, retryAfterMs: 60_000, deadlineAt: now + 5000, nowMs: now },
      opts(0.1),
    );
    expect(d).toEqual({ kind: 'retryAfterExceedsDeadline', retryAfterMs: 60_000 });
  });

  it('gives up when the backoff alone would use the remaining time', () => {
    const d = planRetryDelay({ attempt: 4, deadlineAt: now + 100, nowMs: now }, opts(0.9));
    expect(d).toEqual({ kind: 'noTimeLeft' });
  });
});
