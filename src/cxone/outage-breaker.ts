import type { BreakerCounter } from './circuit-breaker';

const WINDOW = 20;
const MIN_FAILURE_RATIO = 0.5;

/**
 * Opens a circuit on an outage, not on noise: `threshold` consecutive failed attempts AND at least
 * half of the last 20 attempts failed. A plain consecutive breaker trips several times a minute
 * under a steady 20 % error rate at a few hundred calls per second (five failures in a row are
 * then routine), cutting a whole capability off for the half-open delay although retries would
 * have served almost every call.
 */
export class OutageBreaker implements BreakerCounter {
  state = { consecutive: 0, recent: [] as boolean[] };

  constructor(private readonly threshold: number) {}

  success(): void {
    this.state.consecutive = 0;
    this.remember(false);
  }

  failure(): boolean {
    this.state.consecutive += 1;
    this.remember(true);
    const failures = this.state.recent.filter(Boolean).length;
    return (
      this.state.consecutive >= this.threshold &&
      failures / this.state.recent.length >= MIN_FAILURE_RATIO
    );
  }

  private remember(failed: boolean): void {
    this.state.recent.push(failed);
    if (this.state.recent.length > WINDOW) this.state.recent.shift();
  }
}
