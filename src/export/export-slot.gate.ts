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
  InMemorySlotQueue,
  RedisSlotQueue,
  type SlotQueue,
  type SlotTicket,
} from './export-slot.queue';
import type { ExportDataset } from './export.types';
import { EXPORT_SOURCE, type ExportSource, type UpstreamJob } from './export.source';

const LOCK_KEY = 'cxgw:export:create-lock';
/** Long enough for one list + create round trip; the lock is released as soon as they are done. */
const LOCK_TTL_MS = 15_000;
const LOCK_RETRY_MS = 25;
/** The longest wait between two looks, unless the poll interval is longer. */
const MAX_DELAY_FLOOR_MS = 10_000;

/** One window's request for an upstream job slot. */
export interface SlotRequest {
  window: DateWindow;
  /** The API key the export belongs to: slots go to the waiting keys in turn. */
  owner: string;
  signal: AbortSignal;
  maxWaitMs: number;
  dataset?: ExportDataset;
}

/**
 * Keeps the number of active (queued or running) upstream export jobs at or below
 * EXPORT_MAX_ACTIVE_JOBS for every export on every replica. Creation is serialized (an
 * in-process mutex, plus a Redis `SET NX PX` lock when Redis is configured) and, under the lock,
 * CXone's own list of active jobs decides whether a slot is free — so jobs started by other
 * replicas or other clients count too. A full list or a 409 from CXone means "wait and retry",
 * with a growing, capped delay; only the caller's signal or the wait limit stop it. Waiters
 * stand in a line that is fair across API keys (see SlotQueue): only the first in line asks
 * CXone, and a freed slot goes to the key served longest ago.
 */
@Injectable()
export class ExportSlotGate {
  private readonly logger = new Logger('ExportSlotGate');
  private readonly mutex = new KeyedMutex();
  private readonly line: SlotQueue;
  private redisFailureLogged = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly redis: RedisService,
    @Inject(EXPORT_SOURCE) private readonly source: ExportSource,
  ) {
    // A waiter retries at least every max(poll interval, 10 s): silent for 3 of those, it is gone.
    const staleMs = 3 * Math.max(config.export.pollIntervalMs, MAX_DELAY_FLOOR_MS);
    this.line = redis.client
      ? new RedisSlotQueue(redis.client, clock, staleMs)
      : new InMemorySlotQueue();
  }

  /** Waits in the fair line for a free upstream slot, then creates the window's job in it. */
  async createJob(request: SlotRequest): Promise<UpstreamJob> {
    const { signal } = request;
    const { pollIntervalMs } = this.config.export;
    const giveUpAt = this.clock.now() + request.maxWaitMs;
    let delay = pollIntervalMs;
    const ticket = await this.line.join(request.owner);
    try {
      for (;;) {
        const outcome = await this.mutex.run('create', () =>
          this.withClusterLock(signal, () => this.tryCreate(ticket, request)),
        );
        if (typeof outcome !== 'string') return outcome;
        if (this.clock.now() + delay > giveUpAt) {
          throw new AppError(
            'UPSTREAM_CONFLICT',
            'no free CXone export slot within the wait limit',
          );
        }
        await this.clock.sleep(delay, signal);
        // Only the first in line asks CXone, so only its delay grows with a full list; the
        // others look again soon, to take their turn without leaving a slot idle.
        delay =
          outcome === 'full'
            ? Math.min(delay * 1.5, Math.max(pollIntervalMs, MAX_DELAY_FLOOR_MS))
            : pollIntervalMs;
      }
    } finally {
      await this.line.leave(ticket);
    }
  }

  /** When first in line: one look at the active list and, when a slot is free, one create. */
  private async tryCreate(
    ticket: SlotTicket,
    request: SlotRequest,
  ): Promise<UpstreamJob | 'not-my-turn' | 'full'> {
    const { window, signal, dataset } = request;
    if (!(await this.line.isNext(ticket))) return 'not-my-turn';
    const active = await this.source.listActive(signal);
    if (active.length >= this.config.export.maxActiveJobs) return 'full';
    try {
      const job = await this.source.create(window, signal, dataset);
      await this.line.served(ticket);
      return job;
    } catch (err) {
      // Someone else took the slot between our list and our create: wait like for a full list.
      if (err instanceof AppError && err.code === 'UPSTREAM_CONFLICT') return 'full';
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
