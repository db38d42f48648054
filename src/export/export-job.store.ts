import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { fullJitterBackoffMs } from '../common/concurrency/backoff';
import { KeyedMutex } from '../common/concurrency/keyed-mutex';
import { Clock } from '../common/clock/clock';
import { AppError } from '../common/errors/app-error';
import { APP_CONFIG } from '../config/config.constants';
import type { AppConfig } from '../config/app-config.types';
import { assertExportId, isExportId, type JobStateBackend } from './export-job-state';
import { FINISHED_STATUSES, type ExportJobState, type RemovalReason } from './export.types';
import { FileJobState } from './file-job-state';
import { RedisJobState } from './redis-job-state';

export { isExportId } from './export-job-state';

/**
 * Changes one export's state in place; returning false leaves the state untouched. A mutator may
 * run more than once (when another writer got in first, it is applied again to the state that
 * writer left), so it must derive everything from the job it is given.
 */
export type JobMutator = (job: ExportJobState) => boolean | void;

/** Lost races in a row before an update gives up (writers per export are few: worker, API). */
const MAX_UPDATE_ATTEMPTS = 30;
const RETRY_BACKOFF = { baseMs: 4, maxMs: 100, random: Math.random };
/** A window's committed result or its temporary file. */
const WINDOW_FILE_RE = /^window-\d+\.ndjson\.gz(\.tmp)?$/;

/**
 * The only code that touches export state and export files.
 *
 * State: job.json files in DATA_DIR without Redis, the export Redis (QUEUE_REDIS_URL, else
 * REDIS_URL) with it, so every replica reads and writes one state. Every update is
 * compare-and-set on a revision: read, apply the mutator, write only if nobody wrote in between,
 * otherwise read again and re-apply. So a cancel made on one replica is never overwritten by a
 * worker's update on another: the worker's write loses the race, and its mutator, applied again
 * to the cancelled state, yields.
 *
 * Results: each window's gzip NDJSON under `DATA_DIR/exports/<id>/`, written to a temporary file
 * and committed by fsync + rename (a shared volume when replicas share the work).
 */
@Injectable()
export class ExportJobStore implements OnApplicationShutdown {
  private readonly logger = new Logger('ExportJobStore');
  private readonly root: string;
  private readonly state: JobStateBackend;
  /** Same-process updates of one export take turns, so races are only ever with other replicas. */
  private readonly locks = new KeyedMutex();

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.root = join(config.dataDir, 'exports');
    const redisUrl = config.redis.queueUrl;
    this.state = redisUrl
      ? new RedisJobState(redisUrl, this.root, clock)
      : new FileJobState(this.root);
  }

  async create(job: ExportJobState): Promise<void> {
    await mkdir(this.dir(job.id), { recursive: true });
    await this.locks.run(job.id, () => this.state.insert(job));
  }

  /**
   * Creates `job` unless its owner already has `cap` unfinished (queued or running) exports.
   * Count and insert run as one section per owner on every replica, so concurrent requests of
   * one key cannot all slip under the cap.
   */
  async createWithinCap(job: ExportJobState, cap: number): Promise<CapOutcome> {
    const section = `owner-${createHash('sha256').update(job.owner).digest('hex').slice(0, 32)}`;
    return this.state.exclusive(section, async () => {
      const jobs = await this.state.list();
      const active = jobs.filter(
        (j) => j.owner === job.owner && !FINISHED_STATUSES.has(j.status),
      ).length;
      if (active >= cap) return { created: false, active };
      await this.create(job);
      return { created: true, active: active + 1 };
    });
  }

  async get(id: string): Promise<ExportJobState | undefined> {
    if (!isExportId(id)) return undefined;
    return (await this.state.read(id))?.job;
  }

  /**
   * Applies `mutate` to the current state and saves it, compare-and-set: when another writer
   * (another replica) saved first, the current state is read again and `mutate` re-applied.
   * Resolves to the saved state (or the current one when `mutate` returned false); undefined
   * when the export is unknown.
   */
  async update(id: string, mutate: JobMutator): Promise<ExportJobState | undefined> {
    if (!isExportId(id)) return undefined;
    return this.locks.run(id, async () => {
      for (let attempt = 1; ; attempt += 1) {
        const current = await this.state.read(id);
        if (!current) return undefined;
        const job = current.job;
        if (mutate(job) === false) return job;
        job.updatedAt = new Date(this.clock.now()).toISOString();
        if (FINISHED_STATUSES.has(job.status)) job.finishedAt ??= job.updatedAt;
        const outcome = await this.state.compareAndSet(id, current.revision, job);
        if (outcome === 'written') return job;
        if (outcome === 'missing') return undefined;
        if (attempt >= MAX_UPDATE_ATTEMPTS) {
          throw new AppError('CONFLICT', `Export ${id} is being changed concurrently; try again`);
        }
        this.logger.debug(`Export ${id}: another replica wrote first; re-applying the update`);
        // A lone lost race (a cancel) is retried at once; repeated losses back off with jitter
        // so that a busy writer cannot keep winning in lockstep.
        if (attempt > 1) await this.clock.sleep(fullJitterBackoffMs(attempt - 1, RETRY_BACKOFF));
      }
    });
  }

  /** Every export (unreadable ones are logged and skipped). */
  list(): Promise<ExportJobState[]> {
    return this.state.list();
  }

  /** A fresh temporary file for window `index`'s records (gzip NDJSON); commit or remove it. */
  async openResultWriter(id: string, index: number): Promise<Writable> {
    await mkdir(this.dir(id), { recursive: true });
    return createWriteStream(this.tempFile(id, index));
  }

  /** Makes the written window durable and visible: fsync, then rename over any older copy. */
  async commitResult(id: string, index: number): Promise<void> {
    const temp = this.tempFile(id, index);
    const handle = await open(temp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, this.resultFile(id, index));
  }

  /** The committed records of window `index` (gzip NDJSON), streamed. */
  openResultReader(id: string, index: number): Readable {
    return createReadStream(this.resultFile(id, index));
  }

  /** Removes window `index`'s temporary and committed files (before a window is redone). */
  async removeResult(id: string, index: number): Promise<void> {
    await rm(this.tempFile(id, index), { force: true });
    await rm(this.resultFile(id, index), { force: true });
  }

  /**
   * Removes a finished export's result files and records why (its state stays, so its status
   * says what happened). Resolves to the state, or undefined when unknown; an export that is not
   * finished keeps its files (a running one is cancelled first).
   */
  async discardResults(id: string, reason: RemovalReason): Promise<ExportJobState | undefined> {
    const at = new Date(this.clock.now()).toISOString();
    const job = await this.update(id, (j) => {
      if (!FINISHED_STATUSES.has(j.status) || j.resultsRemoved) return false;
      j.resultsRemoved = { at, reason };
    });
    // Marked first, so no reader is sent to a file about to go; removed again by every later
    // sweep (a crash between the two leaves no file behind for long).
    if (job?.resultsRemoved) await this.removeResults(id);
    return job;
  }

  /** Removes every window file (committed or temporary) of export `id`; its state stays. */
  async removeResults(id: string): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.dir(id));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    const windows = names.filter((n) => WINDOW_FILE_RE.test(n));
    await Promise.all(windows.map((n) => rm(join(this.dir(id), n), { force: true })));
  }

  /** Forgets export `id` entirely: its state and its folder. */
  async delete(id: string): Promise<void> {
    if (!isExportId(id)) return;
    await this.locks.run(id, () => this.state.remove(id));
    await rm(this.dir(id), { recursive: true, force: true });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.state.close();
  }

  private dir(id: string): string {
    return join(this.root, assertExportId(id));
  }

  private resultFile(id: string, index: number): string {
    return join(this.dir(id), `window-${index}.ndjson.gz`);
  }

  private tempFile(id: string, index: number): string {
    return `${this.resultFile(id, index)}.tmp`;
  }
}

/** What `createWithinCap` did, with the owner's unfinished exports counted under its lock. */
export type CapOutcome = { created: true; active: number } | { created: false; active: number };

/** Whether `err` says the state store could not be reached (the work should be retried later). */
export function isStoreUnavailable(err: unknown): boolean {
  return err instanceof AppError && err.code === 'SERVICE_UNAVAILABLE';
}
