import { Logger } from '@nestjs/common';
import { Job, Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import type { AppConfig } from '../config/app-config.types';
import { ExportJobStore } from './export-job.store';
import { isStopped } from './export-stop';
import { FINISHED_STATUSES, type ExportJobState } from './export.types';
import { ExportProcessor } from './export.processor';

/** Exports processed at once by one replica at least (upstream jobs are capped separately). */
export const EXPORT_WORKER_CONCURRENCY = 5;

/**
 * Exports one replica processes at once: enough for every key's EXPORT_MAX_PER_KEY, so an
 * accepted export never waits for a worker behind another key's backlog. A running export mostly
 * waits (for its turn at an upstream slot, or for the upstream job), and the slot gate hands the
 * upstream slots to the keys in turn, which is where fairness is decided.
 */
export function workerConcurrency(config: AppConfig): number {
  return Math.max(EXPORT_WORKER_CONCURRENCY, config.export.maxPerKey * config.apiKeys.length);
}
export const EXPORT_QUEUE_NAME = 'cxgw-exports';

/** Where export jobs run: BullMQ when Redis is configured, in process otherwise. */
export interface ExportRunner {
  enqueue(id: string): Promise<void>;
  /** Starts working; resolves with the ids of the exports found unfinished and queued again. */
  start(): Promise<string[]>;
  stop(): Promise<void>;
}
export const EXPORT_RUNNER = Symbol('EXPORT_RUNNER');

/** Exports that still need work after a restart: unfinished, or finished with a webhook owed. */
export function needsWork(job: ExportJobState): boolean {
  if (!FINISHED_STATUSES.has(job.status)) return true;
  return job.status !== 'cancelled' && job.webhook.url !== null && job.webhook.state === 'pending';
}

/** How long a clean BullMQ shutdown may take before its connections are simply dropped. */
const STOP_TIMEOUT_MS = 3000;

/**
 * Runs exports in this process with bounded concurrency (memory mode). State lives in the job
 * store, so on start every unfinished export found in DATA_DIR is queued again, and on shutdown
 * running exports are stopped between steps and simply resume on the next start.
 */
export class InProcessExportRunner implements ExportRunner {
  private readonly logger = new Logger('ExportRunner');
  private readonly waiting: string[] = [];
  private readonly active = new Map<string, Promise<void>>();
  private stopping = false;

  constructor(
    private readonly processor: ExportProcessor,
    private readonly store: ExportJobStore,
    private readonly concurrency = EXPORT_WORKER_CONCURRENCY,
  ) {}

  enqueue(id: string): Promise<void> {
    if (!this.stopping && !this.active.has(id) && !this.waiting.includes(id)) {
      this.waiting.push(id);
      this.pump();
    }
    return Promise.resolve();
  }

  async start(): Promise<string[]> {
    this.logger.log('Export jobs run in process (no REDIS_URL)');
    const jobs = await this.store.list();
    const pending = jobs.filter(needsWork).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    if (pending.length > 0) this.logger.log(`Resuming ${pending.length} export(s) from DATA_DIR`);
    for (const job of pending) await this.enqueue(job.id);
    return pending.map((job) => job.id);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.waiting.length = 0;
    this.processor.stopAll('shutdown');
    await Promise.allSettled([...this.active.values()]);
  }

  private pump(): void {
    while (this.active.size < this.concurrency && this.waiting.length > 0) {
      const id = this.waiting.shift() as string;
      const run = this.processor
        .process(id)
        .catch((err: unknown) => {
          if (!isStopped(err)) this.logger.error(`Export ${id} runner error: ${String(err)}`);
        })
        .finally(() => {
          this.active.delete(id);
          if (!this.stopping) this.pump();
        });
      this.active.set(id, run);
    }
  }
}

/**
 * Runs exports on BullMQ so any replica may work them. The BullMQ job id is the export id, so
 * enqueueing twice (API plus the startup scan of the job store) is harmless. A shutdown or an
 * unreachable state store makes the processor reject, and BullMQ's retry puts the job back in
 * the queue for the next worker; a crashed worker's job comes back through BullMQ's stalled-job
 * check. Which worker runs an export does not matter for a cancel: the store's compare-and-set
 * makes every replica's writes yield to it.
 */
export class BullMqExportRunner implements ExportRunner {
  private readonly logger = new Logger('ExportRunner');
  private readonly connections: Redis[] = [];
  private queue?: Queue;
  private worker?: Worker;

  constructor(
    private readonly processor: ExportProcessor,
    private readonly store: ExportJobStore,
    private readonly redisUrl: string,
    private readonly concurrency = EXPORT_WORKER_CONCURRENCY,
  ) {}

  async enqueue(id: string): Promise<void> {
    await this.getQueue().add(
      'export',
      { id },
      {
        jobId: id,
        // Shutdowns count as attempts; real failures are handled inside the processor.
        attempts: 10_000,
        backoff: { type: 'fixed', delay: 500 },
        removeOnComplete: true,
        removeOnFail: 1000,
      },
    );
  }

  async start(): Promise<string[]> {
    this.worker = new Worker(EXPORT_QUEUE_NAME, (job: Job<{ id: string }>) => this.handle(job), {
      connection: this.connection(),
      concurrency: this.concurrency,
    });
    this.worker.on('error', (err) => this.logger.warn(`BullMQ worker error: ${err.message}`));
    this.logger.log(`Export jobs run on BullMQ queue ${EXPORT_QUEUE_NAME}`);
    const pending = (await this.store.list()).filter(needsWork);
    for (const job of pending) await this.enqueue(job.id);
    return pending.map((job) => job.id);
  }

  async stop(): Promise<void> {
    this.processor.stopAll('shutdown');
    // With Redis down, BullMQ's close() waits for a reconnect that may never come. Job state is
    // durable (the job store and the queue), so a bounded wait, then the connections are cut.
    const redisUp = this.connections.some((c) => c.status === 'ready');
    const closing = redisUp
      ? Promise.allSettled([this.worker?.close(), this.queue?.close()])
      : Promise.resolve();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_TIMEOUT_MS)));
    await Promise.race([closing, deadline]);
    clearTimeout(timer);
    // A skipped close would leave the worker's retry and lock timers running, and its own
    // blocking connection (not among ours) open: close it by force (a close under way is kept)
    // and cut its connections too, even while it still waits for its blocking fetch.
    void this.worker?.close(true).catch(() => undefined);
    void this.worker?.disconnect().catch(() => undefined);
    for (const c of this.connections) c.disconnect();
  }

  private async handle(job: Job<{ id: string }>): Promise<void> {
    await this.processor.process(job.data.id);
  }

  private getQueue(): Queue {
    this.queue ??= new Queue(EXPORT_QUEUE_NAME, { connection: this.connection() });
    return this.queue;
  }

  private connection(): Redis {
    // BullMQ needs blocking commands that never time out and no per-request retry limit.
    // A socket closed during its handshake gets 200 ms to go, not ioredis' 2 s (holding a
    // stopped process open meanwhile).
    const connection = new Redis(this.redisUrl, {
      maxRetriesPerRequest: null,
      disconnectTimeout: 200,
    });
    connection.on('error', (err: Error) => this.logger.debug(`BullMQ Redis: ${err.message}`));
    this.connections.push(connection);
    return connection;
  }
}
