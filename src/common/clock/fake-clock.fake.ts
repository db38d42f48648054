import { Clock } from './clock';

/** A clock that only moves when told to; sleeps resolve when time is advanced past them. */
export class FakeClock extends Clock {
  private current: number;
  private readonly sleepers: { until: number; resolve: () => void }[] = [];
  readonly sleeps: number[] = [];

  constructor(start = Date.parse('2026-01-15T12:00:00Z')) {
    super();
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    return new Promise((resolve) => {
      this.sleepers.push({ until: this.current + ms, resolve });
      this.sleepers.sort((a, b) => a.until - b.until);
    });
  }

  /** Moves time forward, waking every sleeper whose deadline has passed. */
  async advance(ms: number): Promise<void> {
    this.current += ms;
    while (this.sleepers.length && this.sleepers[0].until <= this.current) {
      this.sleepers.shift()?.resolve();
      await Promise.resolve();
    }
  }

  set(epochMs: number): void {
    this.current = epochMs;
  }
}
