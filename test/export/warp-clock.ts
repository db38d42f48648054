import { Clock, type ClockTimer, SystemClock } from '../../src/common/clock/clock';

/** Sleeps this long or longer are the ones a spec may skip (the 31 s Data Extraction waits). */
export const LONG_SLEEP_MS = 15_000;

interface LongSleep {
  due: number;
  wake: () => void;
}

/**
 * Real time that a spec can jump forward. Timers and short sleeps run on the real clock, so
 * HTTP timeouts and polling behave as in production; a sleep of LONG_SLEEP_MS or more (a
 * 31 s pacing or throttle wait) can be ended early by `skipLongSleep`, which moves `now()`
 * forward by what was left of it. The gateway and the sandbox share one instance, so both see
 * the same time pass and nothing is asserted about wall-clock durations.
 */
export class WarpClock extends Clock {
  private offset = 0;
  private readonly system = new SystemClock();
  private long: LongSleep[] = [];
  /** Total ms skipped so far. */
  skipped = 0;

  now(): number {
    return Date.now() + this.offset;
  }

  setTimer(ms: number, fn: () => void): ClockTimer {
    return this.system.setTimer(ms, fn);
  }

  override sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (ms < LONG_SLEEP_MS) return super.sleep(ms, signal);
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason as Error);
      const finish = (error?: Error): void => {
        timer.cancel();
        signal?.removeEventListener('abort', onAbort);
        this.long = this.long.filter((s) => s !== entry);
        if (error === undefined) resolve();
        else reject(error);
      };
      const onAbort = (): void => finish(signal?.reason as Error);
      const entry: LongSleep = { due: this.now() + ms, wake: () => finish() };
      const timer = this.system.setTimer(ms, () => finish());
      signal?.addEventListener('abort', onAbort, { once: true });
      this.long.push(entry);
    });
  }

  /** Long sleeps pending right now. */
  get longSleepers(): number {
    return this.long.length;
  }

  /** Moves `now()` forward by `ms` without waking anything (timers keep their real delays). */
  jump(ms: number): void {
    this.offset += ms;
    this.skipped += ms;
  }

  /** Jumps to the end of the earliest long sleep and wakes it (and any due with it); ms skipped. */
  skipLongSleep(): number {
    const first = [...this.long].sort((a, b) => a.due - b.due)[0];
    if (!first) return 0;
    const step = Math.max(0, first.due - this.now());
    this.offset += step;
    this.skipped += step;
    for (const sleep of this.long.filter((s) => s.due <= this.now())) sleep.wake();
    return step;
  }
}
