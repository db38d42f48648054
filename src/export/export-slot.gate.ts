import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { Clock } from '../common/clock/clock';
import { RedisService } from '../common/redis/redis.service';
import { APP_CONFIG } from '../config/config.constants';
import type { AppConfig } from '../config/app-config.types';
import type { DateWindow } from './export-windows';
import { KeyedMutex } from '../common/concurrency/keyed-mutex';
import { HeldLock, RedisLock } from '../common/concurrency/redis-lock';
import {
  EXPORT_SOURCE,
  type ExportDataset,
  type ExportSource,
  type UpstreamJob,
} from './export.source';

const LOCK_KEY = 'cxgw:export:create-lock';
/** Long enough for one list + create round trip; the lock is released as soon as they are done. */
const LOCK_TTL_MS = 15_000;
const LOCK_RETRY_MS = 25;

/**
 * Keeps the number of active (queued or running) upstream export jobs at or below
 * EXPORT_MAX_ACTIVE_JOBS for every export on every replica. Creation is serialized (an
 * in-process mutex, plus a Redis `SET NX PX` lock when Redis is configured) and, under the lock,
 * CXone's own list of active jobs decides whether a slot is free — so jobs started by other
 * replicas or other clients count too. A full list or a 409 from CXone means "wait and retry",
 * with a growing, capped delay; only the caller's signal or the wait limit stop it.
 */
@Injectable()
export class ExportSlotGate {
  private readonly logger = new Logger('ExportSlotGate');
  private readonly mutex = new KeyedMutex();
  private redisFailureLogged = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly redis: RedisService,
    @Inject(EXPORT_SOURCE) private readonly source: ExportSource,
  ) {}

  async createJob(
    window: DateWindow,
    signal: AbortSignal,
    maxWaitMs: number,
    dataset?: ExportDataset,
  ): Promise<UpstreamJob> {
    const { pollIntervalMs } = this.config.export;
    const giveUpAt = this.clock.now() + maxWaitMs;
    let delay = pollIntervalMs;
    for (;;) {
      const job = await this.mutex.run('create', () =>
        this.withClusterLock(signal, () => this.tryCreate(window, signal, dataset)),
      );
      if (job) return job;
      if (this.clock.now() + delay > giveUpAt) {
        throw new AppError('UPSTREAM_CONFLICT', 'no free CXone export slot within the wait limit');
      }
      await this.clock.sleep(delay, signal);
      delay = Math.min(delay * 1.5, Math.max(pollIntervalMs, 10_000));
    }
  }

  /** One look at the active list and, when a slot is free, one create. */
  private async tryCreate(
    window: DateWindow,
    signal: AbortSignal,
    dataset?: ExportDataset,
  ): Promise<UpstreamJob | undefined> {
    const active = await this.source.listActive(signal);
    if (active.length >= this.config.export.maxActiveJobs) return undefined;
    try {
      return await this.source.create(window, signal, dataset);
    } catch (err) {
      // Someone else took the slot between our list and our create: wait like for a full list.
      if (err instanceof AppError && err.code === 'UPSTREAM_CONFLICT') return undefined;
      throw err;
    }
  }

  /** Runs `section` holding the cross-replica lock; without Redis (or when it fails), just runs it. */
  private async withClusterLock<T>(signal: AbortSignal, section: () => Promise<T>): Promise<T> {
    const client = this.redis.client;
    if (!client) return section();
    const ttlMs = this.source.createLockTtlMs ?? LOCK_TTL_MS;
    const held = await this.acquire(new RedisLock(client, LOCK_KEY, ttlMs), signal);
    try {
      return await section();
    } finally {
      await held?.release().catch((err: unknown) => this.logRedisFailure(err));
    }
  }

  /**
   * Held, or undefined when Redis is failing (fail open: the in-process mutex still holds) or
   * the holder outlived its TTL without releasing (it died: the key has expired by now).
   */
  private async acquire(lock: RedisLock, signal: AbortSignal): Promise<HeldLock | undefined> {
    try {
      return await lock.acquire({ clock: this.clock, retryMs: LOCK_RETRY_MS, signal });
    } catch (err) {
      if (signal.aborted) throw err;
      this.logRedisFailure(err);
      return undefined;
    }
  }

  private logRedisFailure(err: unknown): void {
    if (this.redisFailureLogged) return;
    this.redisFailureLogged = true;
    this.logger.warn(
      `Redis lock unavailable (${(err as Error).message}); export creation is serialized in this process only`,
    );
  }
}
