import { Logger } from '@nestjs/common';
import { Counter } from 'prom-client';
import type { Clock } from '../common/clock/clock';
import type { MetricsService } from '../observability/metrics.service';
import { AnonymousRequestLog } from './anonymous-request-log';
import { AuditLines } from './audit-lines';
import type { AuditStore } from './audit-store';
import type { AuditQuery, AuditRecord } from './audit.types';

export interface AnonymousRequestsOptions {
  /** Their own capped store: a small Redis stream, or memory without Redis. */
  store: AuditStore;
  metrics: MetricsService;
  clock: Clock;
  logIntervalMs: number;
}

/**
 * Requests without an identified caller (no key, a bad key, an unknown route without a key, a
 * public page): noise anyone can make in any volume, so they never enter the audit trail's
 * capacity. Each one is counted in `gateway_anonymous_requests_total{route,status}`, summarised
 * in at most one log line per status per interval, and kept in a small capped store of its own
 * (GET /v1/audit/anonymous) where a flood only displaces other anonymous requests.
 */
export class AnonymousRequests {
  private readonly logger = new Logger('Audit');
  private readonly counter: Counter<'route' | 'status'>;
  /** Pre-bound counter children: the label set is hashed once per route and status. */
  private readonly children = new Map<string, { inc(): void }>();
  private readonly log: AnonymousRequestLog;
  private pending: AuditRecord[] = [];

  constructor(private readonly options: AnonymousRequestsOptions) {
    const { registry } = options.metrics;
    this.counter = new Counter({
      name: 'gateway_anonymous_requests_total',
      help: 'Requests without an identified caller (kept out of the audit trail) by route and status',
      labelNames: ['route', 'status'] as const,
      registers: [registry],
    });
    this.log = new AnonymousRequestLog({
      clock: options.clock,
      intervalMs: options.logIntervalMs,
      emit: (summary) =>
        this.logger.log({ anonymous: summary }, 'anonymous requests (not in the audit trail)'),
    });
  }

  /** Counts and logs at once; returns the number of records waiting to be stored. */
  note(record: AuditRecord): number {
    const key = `${record.status} ${record.route}`;
    let child = this.children.get(key);
    if (!child) {
      child = this.counter.labels({ route: record.route, status: String(record.status) });
      this.children.set(key, child);
    }
    child.inc();
    this.log.note(record);
    this.pending.push(record);
    return this.pending.length;
  }

  /** Stores what is pending. A failure loses only these samples: the metric has counted them. */
  async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    if (!batch.length) return;
    try {
      await this.options.store.append(AuditLines.of(batch));
    } catch (err) {
      this.logger.debug(
        `Anonymous requests not stored (${batch.length}): ${(err as Error).message}`,
      );
    }
  }

  query(query: AuditQuery): Promise<AuditRecord[]> {
    return this.options.store.query(query);
  }

  /** Shutdown: the last summary lines. */
  close(): void {
    this.log.flush();
  }
}
