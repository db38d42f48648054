import type { Clock } from '../common/clock/clock';

export type CircuitStateName = 'closed' | 'open' | 'halfOpen';

/** Thrown instead of calling while a circuit is open. */
export class CircuitOpenError extends Error {
  constructor() {
    super('circuit is open');
    this.name = 'CircuitOpenError';
  }
}

/** Decides, from the outcomes it is told about, when a closed circuit should open. */
export interface BreakerCounter {
  success(): void;
  /** True when this failure should open the circuit. */
  failure(): boolean;
}

export interface CircuitBreakerOptions {
  /** How long an open circuit sheds load before letting one probe through. */
  halfOpenAfterMs: number;
  counter: BreakerCounter;
  /** Failures that count against the circuit; any other error passes through uncounted. */
  trips: (err: unknown) => boolean;
}

type State =
  | { name: 'closed' }
  | { name: 'open'; openedAt: number }
  | { name: 'halfOpen'; probe: Promise<void> };

/**
 * One circuit whose half-open moment is decided by the injected Clock. Closed: calls run and
 * their outcomes feed the counter. Open: calls fail with CircuitOpenError until `halfOpenAfterMs`
 * has passed, then exactly one probe runs while every other caller waits for it; a probe that
 * succeeds (or fails for a reason that does not trip) closes the circuit, one that trips
 * reopens it for another full delay.
 */
export class CircuitBreaker {
  private current: State = { name: 'closed' };

  constructor(
    private readonly options: CircuitBreakerOptions,
    private readonly clock: Clock,
  ) {}

  get state(): CircuitStateName {
    return this.current.name;
  }

  /** When the circuit last opened (epoch ms), while it is open. */
  get openedAt(): number | undefined {
    return this.current.name === 'open' ? this.current.openedAt : undefined;
  }

  async execute<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const state = this.current;
    switch (state.name) {
      case 'closed':
        return this.closed(fn);
      case 'open':
        if (this.clock.now() - state.openedAt < this.options.halfOpenAfterMs) {
          throw new CircuitOpenError();
        }
        return this.probe(fn);
      case 'halfOpen':
        await state.probe;
        signal?.throwIfAborted();
        return this.execute(fn, signal);
    }
  }

  private async closed<T>(fn: () => Promise<T>): Promise<T> {
    try {
      const value = await fn();
      this.options.counter.success();
      return value;
    } catch (err) {
      if (this.options.trips(err) && this.options.counter.failure()) this.open();
      throw err;
    }
  }

  private async probe<T>(fn: () => Promise<T>): Promise<T> {
    let done!: () => void;
    this.current = { name: 'halfOpen', probe: new Promise<void>((resolve) => (done = resolve)) };
    try {
      const value = await fn();
      this.options.counter.success();
      this.current = { name: 'closed' };
      return value;
    } catch (err) {
      this.current = { name: 'closed' };
      if (this.options.trips(err)) {
        this.options.counter.failure();
        this.open();
      }
      throw err;
    } finally {
      done();
    }
  }

  /** Opens (or keeps open: an open circuit's delay is not restarted by late failures). */
  private open(): void {
    if (this.current.name === 'open') return;
    this.current = { name: 'open', openedAt: this.clock.now() };
  }
}
