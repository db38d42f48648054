/** What a Tally adds to: a prom-client counter without labels, or one label set's child. */
export interface CounterChild {
  inc(value?: number): void;
}

/**
 * One counter series counted on a hot path: `inc` adds to a plain number, and `flush` (run by
 * the counter's collect hook before every read of the registry) moves the sum into prom-client's
 * counter. prom-client hashes the label set and validates it on every `inc`, a child made by
 * `labels()` included; a cache hit counts two series, so that was paid twice per hit. /metrics
 * reads the same totals, because every read flushes first.
 */
export class Tally {
  private pending = 0;

  constructor(private readonly series: CounterChild) {}

  inc(): void {
    this.pending += 1;
  }

  flush(): void {
    if (this.pending === 0) return;
    this.series.inc(this.pending);
    this.pending = 0;
  }
}
