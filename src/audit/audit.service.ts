import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { join } from 'node:path';
import { APP_CONFIG } from '../config/config.constants';
import type { AppConfig } from '../config/app-config.types';
import { Clock, type ClockTimer } from '../common/clock/clock';
import { AppError } from '../common/errors/app-error';
import { RedisService } from '../common/redis/redis.service';
import { MetricsService } from '../observability/metrics.service';
import { AnonymousRequests } from './anonymous-requests';
import { AuditLines, AuditLineTemplate, AuditLineWriter } from './audit-lines';
import { AuditStore } from './audit-store';
import { AuditQuery, AuditRecord } from './audit.types';
import { FileAuditStore } from './file-audit.store';
import { MemoryAuditStore } from './memory-audit.store';
import { ANONYMOUS_STREAM_KEY, AUDIT_STREAM_KEY, RedisAuditStore } from './redis-audit.store';

const FLUSH_INTERVAL_MS = 100;
const MAX_BATCH = 500;
/** LOG_LEVEL values at which the audit's info lines are written. */
const LOGGED_LEVELS: readonly string[] = ['info', 'debug', 'trace'];

/**
 * Collects audit records off the request path and writes them in batches: to the Redis stream
 * when configured (falling back to the local file while Redis is down, so nothing is lost), to
 * a rotated JSONL file otherwise, and always to the log. Records without an identified caller
 * go elsewhere (AnonymousRequests): anyone can send those in any volume, and they must never
 * push a real caller's record out of the trail. Shutdown flushes what is pending.
 */
@Injectable()
export class AuditService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Audit');
  private readonly primary: AuditStore;
  private readonly fallback: FileAuditStore;
  private readonly anonymous: AnonymousRequests;
  /** Records since the last flush, already JSON lines (see AuditLines for why). */
  private readonly pending = new AuditLineWriter();
  private flushing: Promise<void> = Promise.resolve();
  private timer: ClockTimer | undefined;
  /**
   * Whether records go to the log too: not at LOG_LEVEL=warn and above, where the logger would
   * drop them anyway — but only after a call per request through Nest's logger (≈ 1 % of a
   * cache hit's CPU), which this skips.
   */
  private readonly logsRecords: boolean;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    redis: RedisService,
    private readonly clock: Clock,
    metrics: MetricsService,
  ) {
    const { audit } = config;
    this.logsRecords = LOGGED_LEVELS.includes(config.logLevel);
    this.fallback = new FileAuditStore(join(config.dataDir, 'audit', 'audit.jsonl'), {
      memoryRecords: audit.memoryRecords,
      limits: audit.file,
      clock,
    });
    this.primary = redis.client
      ? new RedisAuditStore(redis.client, { key: AUDIT_STREAM_KEY, maxLen: audit.streamMaxLen })
      : this.fallback;
    this.anonymous = new AnonymousRequests({
      store: redis.client
        ? new RedisAuditStore(redis.client, {
            key: ANONYMOUS_STREAM_KEY,
            maxLen: audit.anonymous.maxRecords,
          })
        : new MemoryAuditStore(audit.anonymous.maxRecords),
      metrics,
      clock,
      logIntervalMs: audit.anonymous.logIntervalS * 1000,
    });
  }

  record(record: AuditRecord): void {
    let waiting: number;
    if (record.actor === null) {
      waiting = this.anonymous.note(record);
    } else {
      this.pending.add(record);
      if (this.logsRecords) this.logger.log({ audit: record }, 'audit');
      waiting = this.pending.count;
    }
    this.scheduleFlush(waiting);
  }

  /**
   * `record(template.recordWith(time, requestId, latencyMs))`, the line written from the
   * template's bytes (see AuditLineTemplate): how a cache hit is recorded. A template is only
   * made for a record with an identified caller, which goes to the trail.
   */
  recordFrom(
    template: AuditLineTemplate,
    time: string,
    requestId: string,
    latencyMs: number,
  ): void {
    if (template.record.actor === null) {
      return this.record(template.recordWith(time, requestId, latencyMs));
    }
    this.pending.addFrom(template, time, requestId, latencyMs);
    if (this.logsRecords) {
      this.logger.log({ audit: template.recordWith(time, requestId, latencyMs) }, 'audit');
    }
    this.scheduleFlush(this.pending.count);
  }

  private scheduleFlush(waiting: number): void {
    if (waiting >= MAX_BATCH) void this.flush();
    else this.timer ??= this.clock.setTimer(FLUSH_INTERVAL_MS, () => void this.flush());
  }

  /** Writes everything recorded so far; serialised so batches keep their order. */
  flush(): Promise<void> {
    this.timer?.cancel();
    this.timer = undefined;
    const batch = this.pending.take();
    this.flushing = this.flushing.then(async () => {
      await this.write(batch);
      await this.anonymous.flush();
    });
    return this.flushing;
  }

  /** The audit trail: records with an identified caller, newest first. */
  async query(query: AuditQuery): Promise<AuditRecord[]> {
    await this.flush();
    try {
      return await this.primary.query(query);
    } catch (err) {
      this.logger.warn(`Audit query fell back to the local file: ${(err as Error).message}`);
      return this.fallback.query(query);
    }
  }

  /** The most recent requests without an identified caller, newest first. */
  async queryAnonymous(query: AuditQuery): Promise<AuditRecord[]> {
    await this.flush();
    try {
      return await this.anonymous.query(query);
    } catch (err) {
      throw new AppError(
        'SERVICE_UNAVAILABLE',
        'The store of anonymous requests (Redis) is unavailable; their counts are in /metrics',
        { cause: err },
      );
    }
  }

  private async write(batch: AuditLines): Promise<void> {
    if (!batch.count) return;
    try {
      await this.primary.append(batch);
    } catch (err) {
      this.logger.warn(`Audit store unavailable, writing to local file: ${(err as Error).message}`);
      try {
        await this.fallback.append(batch);
      } catch (fileErr) {
        this.logger.error({ err: fileErr, lost: batch.count }, 'Audit records could not be stored');
      }
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.flush();
    this.anonymous.close();
  }
}
