import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { join } from 'node:path';
import { APP_CONFIG } from '../config/config.constants';
import type { AppConfig } from '../config/app-config.types';
import { Clock, type ClockTimer } from '../common/clock/clock';
import { RedisService } from '../common/redis/redis.service';
import { AuditQuery, AuditRecord, AuditStore } from './audit.types';
import { FileAuditStore } from './file-audit.store';
import { RedisAuditStore } from './redis-audit.store';

const FLUSH_INTERVAL_MS = 100;
const MAX_BATCH = 500;

/**
 * Collects audit records off the request path and writes them in batches: to the Redis stream
 * when configured (falling back to the local file while Redis is down, so nothing is lost), to
 * a JSONL file otherwise, and always to the log. Shutdown flushes what is pending.
 */
@Injectable()
export class AuditService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Audit');
  private readonly primary: AuditStore;
  private readonly fallback: FileAuditStore;
  private pending: AuditRecord[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private timer: ClockTimer | undefined;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    redis: RedisService,
    private readonly clock: Clock,
  ) {
    this.fallback = new FileAuditStore(join(config.dataDir, 'audit', 'audit.jsonl'));
    this.primary = redis.client
      ? new RedisAuditStore(redis.client, config.audit.streamMaxLen)
      : this.fallback;
  }

  record(record: AuditRecord): void {
    this.pending.push(record);
    this.logger.log({ audit: record }, 'audit');
    if (this.pending.length >= MAX_BATCH) void this.flush();
    else this.timer ??= this.clock.setTimer(FLUSH_INTERVAL_MS, () => void this.flush());
  }

  /** Writes everything recorded so far; serialised so batches keep their order. */
  flush(): Promise<void> {
    this.timer?.cancel();
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    this.flushing = this.flushing.then(() => this.write(batch));
    return this.flushing;
  }

  async query(query: AuditQuery): Promise<AuditRecord[]> {
    await this.flush();
    try {
      return await this.primary.query(query);
    } catch (err) {
      this.logger.warn(`Audit query fell back to the local file: ${(err as Error).message}`);
      return this.fallback.query(query);
    }
  }

  private async write(batch: AuditRecord[]): Promise<void> {
    if (!batch.length) return;
    try {
      await this.primary.append(batch);
    } catch (err) {
      this.logger.warn(`Audit store unavailable, writing to local file: ${(err as Error).message}`);
      try {
        await this.fallback.append(batch);
      } catch (fileErr) {
        this.logger.error(
          { err: fileErr, lost: batch.length },
          'Audit records could not be stored',
        );
      }
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.flush();
  }
}
