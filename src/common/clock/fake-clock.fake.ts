import { Clock, ClockTimer } from './clock';

interface Scheduled {
  at: number;
  seq: number;
  fn: () => void;
  /** A sleep (someone waiting for time to pass), as opposed to a timeout racing real work. */
  sleep: boolean;
}

/** Lets promise chains and already-delivered I/O callbacks run before the next step. */
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * A clock that only moves when told to. Timers and sleeps fire in time order while `advance`
 * walks forward, each at its own instant, so a timer set by a callback fires in the same
 * `advance` when it falls due inside it. Nothing fires without an advance, not even a 0 ms
 * sleep (`advance(0)` wakes it), so a test always sees every sleep. `set` jumps without firing.
 */
export class FakeClock extends Clock {
  private current: number;
  private seq = 0;
  private queue: Scheduled[] = [];
  private sleepWatchers: { count: number; wake: () => void }[] = [];
  /** Every sleep asked for, in ms, in call order. */
  readonly sleeps: number[] = [];

  constructor(start = Date.parse('2026-01-15T12:00:00Z')) {
    super();
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimer(ms: number, fn: () => void): ClockTimer {
    return this.schedule(ms, fn, false);
  }

  override sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason as Error);
      const onAbort = (): void => {
        timer.cancel();
        reject(signal?.reason as Error);
      };
      const timer = this.schedule(
        ms,
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        true,
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Moves time forward by `ms`, firing every timer and sleep that falls due, in order. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    await flush();
    for (;;) {
      const next = this.queue[0];
      if (next === undefined || next.at > target) break;
      this.queue.shift();
      this.current = Math.max(this.current, next.at);
      next.fn();
      await flush();
    }
    this.current = Math.max(this.current, target);
  }

  /** Jumps to `epochMs` without firing anything (for "the calendar says" tests). */
  set(epochMs: number): void {
    this.current = epochMs;
  }

  /** Timers and sleeps scheduled and neither fired nor cancelled. */
  pending(): number {
    return this.queue.length;
  }

  /** Pending sleeps only (timeouts racing real work are not counted). */
  sleeping(): number {
    return this.queue.filter((s) => s.sleep).length;
  }

  /**
   * Resolves, without moving time, once `count` sleeps are pending on this clock (at once if
   * they are): an event to wait for before stepping time while other work is still in flight.
   */
  whenSleeping(count = 1): Promise<void> {
    if (this.sleeping() >= count) return Promise.resolve();
    return new Promise((wake) => this.sleepWatchers.push({ count, wake }));
  }

  /** Waits until something sleeps, then advances to the earliest sleeper's wake-up; returns the ms advanced. */
  async wakeNextSleeper(): Promise<number> {
    await this.whenSleeping();
    return this.advanceToFirstSleeper();
  }

  /**
   * Settles like `work`, waking each sleeper (backoff, rate waits) whenever the work is stuck
   * sleeping. Timeouts are only reached when a sleep lies beyond them. Meant for one sequential
   * flow: with several calls in flight, time jumps for the first sleeper while the others may
   * still wait for real I/O (use `whenSleeping(n)` and `advance` there). Not for a whole
   * gateway either: its background loops (queue feed, heartbeats) always sleep, so time would
   * run ahead of calls still in flight.
   */
  async settle<T>(work: Promise<T>): Promise<T> {
    let done = false;
    const finished = work.then(
      () => (done = true),
      () => (done = true),
    );
    while (!done) {
      await Promise.race([finished, this.whenSleeping()]);
      if (!done) await this.advanceToFirstSleeper();
    }
    return work;
  }

  private async advanceToFirstSleeper(): Promise<number> {
    const first = this.queue.find((s) => s.sleep);
    const step = first ? Math.max(0, first.at - this.current) : 0;
    await this.advance(step);
    return step;
  }

  private schedule(ms: number, fn: () => void, sleep: boolean): ClockTimer {
    const entry: Scheduled = { at: this.current + Math.max(0, ms), seq: this.seq++, fn, sleep };
    const index = this.queue.findIndex((s) => s.at > entry.at);
    if (index === -1) this.queue.push(entry);
    else this.queue.splice(index, 0, entry);
    if (sleep) {
      const sleeping = this.sleeping();
      const due = this.sleepWatchers.filter((w) => w.count <= sleeping);
      this.sleepWatchers = this.sleepWatchers.filter((w) => w.count > sleeping);
      for (const w of due) w.wake();
    }
    return { cancel: () => this.remove(entry) };
  }

  private remove(entry: Scheduled): void {
    const index = this.queue.indexOf(entry);
    if (index !== -1) this.queue.splice(index, 1);
  }
}
