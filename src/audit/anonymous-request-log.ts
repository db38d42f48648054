import type { Clock, ClockTimer } from '../common/clock/clock';
import type { AuditRecord } from './audit.types';

/** Routes named in one summary line at most; the rest are counted as "other". */
const MAX_ROUTES = 10;

/** One log line about requests without an identified caller, for one status. */
export interface AnonymousSummary {
  status: number;
  /** Requests this line covers. */
  count: number;
  /** Seconds the line covers (0 for the first request of a quiet period). */
  windowS: number;
  /** Requests per route template ("unmatched" for unknown routes), the busiest first. */
  routes: Record<string, number>;
  /** The first request the line covers: enough to look for, nothing secret. */
  sample: Pick<AuditRecord, 'time' | 'requestId' | 'ip' | 'method' | 'route'>;
}

interface Window {
  openedAt: number;
  count: number;
  routes: Map<string, number>;
  sample?: AnonymousSummary['sample'];
  timer: ClockTimer;
}

/**
 * Rate-limits what the log says about anonymous requests, so a flood of 401s or 404s costs a
 * few lines instead of one per request: the first request of a status after a quiet period is
 * reported at once, the rest are summed and reported when `intervalMs` has passed (by the
 * injected clock), so each status gets at most one line per interval. `flush` reports what is
 * pending (shutdown).
 */
export class AnonymousRequestLog {
  private readonly windows = new Map<number, Window>();

  private readonly clock: Clock;
  private readonly intervalMs: number;
  private readonly emit: (summary: AnonymousSummary) => void;

  constructor(options: {
    clock: Clock;
    intervalMs: number;
    emit: (summary: AnonymousSummary) => void;
  }) {
    ({ clock: this.clock, intervalMs: this.intervalMs, emit: this.emit } = options);
  }

  note(record: AuditRecord): void {
    const window = this.windows.get(record.status);
    if (!window) {
      this.emit({
        status: record.status,
        count: 1,
        windowS: 0,
        routes: { [record.route]: 1 },
        sample: sampleOf(record),
      });
      this.open(record.status);
      return;
    }
    window.count++;
    window.sample ??= sampleOf(record);
    const named = window.routes.has(record.route) || window.routes.size < MAX_ROUTES;
    const name = named ? record.route : 'other';
    window.routes.set(name, (window.routes.get(name) ?? 0) + 1);
  }

  /** Reports every pending count now and stops the timers. */
  flush(): void {
    for (const [status, window] of this.windows) {
      window.timer.cancel();
      this.report(status, window);
    }
    this.windows.clear();
  }

  private open(status: number): void {
    this.windows.set(status, {
      openedAt: this.clock.now(),
      count: 0,
      routes: new Map(),
      timer: this.clock.setTimer(this.intervalMs, () => this.close(status)),
    });
  }

  private close(status: number): void {
    const window = this.windows.get(status);
    this.windows.delete(status);
    if (!window || window.count === 0) return;
    this.report(status, window);
    // More may follow: the next line for this status comes one interval later at the earliest.
    this.open(status);
  }

  private report(status: number, window: Window): void {
    if (window.count === 0 || !window.sample) return;
    const routes = [...window.routes].sort((a, b) => b[1] - a[1]);
    this.emit({
      status,
      count: window.count,
      windowS: Math.round((this.clock.now() - window.openedAt) / 1000),
      routes: Object.fromEntries(routes),
      sample: window.sample,
    });
  }
}

function sampleOf(record: AuditRecord): AnonymousSummary['sample'] {
  const { time, requestId, ip, method, route } = record;
  return { time, requestId, ip, method, route };
}
