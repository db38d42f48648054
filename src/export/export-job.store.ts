import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Clock } from '../common/clock/clock';
import { APP_CONFIG } from '../config/config.constants';
import type { AppConfig } from '../config/app-config.types';
import type { ExportJobState } from './export.types';
import { KeyedMutex } from './keyed-mutex';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Returning false from an update's mutator leaves the file untouched. */
export type JobMutator = (job: ExportJobState) => boolean | void;

/**
 * Durable export state: one JSON file per export at `DATA_DIR/exports/<id>/job.json`, next to its
 * window result files. Every write goes to a temporary file that is fsynced and then renamed over
 * the old one, so a crash leaves either the old or the new state, never a torn file. Updates are
 * read-modify-write under a per-export lock (in process); across replicas only the single BullMQ
 * worker running an export writes its progress, and the API writes only `cancelled`.
 */
@Injectable()
export class ExportJobStore {
  private readonly logger = new Logger('ExportJobStore');
  private readonly root: string;
  private readonly locks = new KeyedMutex();

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.root = join(config.dataDir, 'exports');
  }

  dir(id: string): string {
    return join(this.root, assertId(id));
  }

  /** The committed (gzip NDJSON) records of window `index`. */
  windowFile(id: string, index: number): string {
    return join(this.dir(id), `window-${index}.ndjson.gz`);
  }

  /** Where window `index` is written before it is committed. */
  windowTempFile(id: string, index: number): string {
    return `${this.windowFile(id, index)}.tmp`;
  }

  async create(job: ExportJobState): Promise<void> {
    await mkdir(this.dir(job.id), { recursive: true });
    await this.locks.run(job.id, () => this.write(job));
  }

  async get(id: string): Promise<ExportJobState | undefined> {
    if (!UUID_RE.test(id)) return undefined;
    let text: string;
    try {
      text = await readFile(join(this.dir(id), 'job.json'), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    return parseJob(text, id);
  }

  /** Applies `mutate` to the current state and saves it; undefined when the export is unknown. */
  async update(id: string, mutate: JobMutator): Promise<ExportJobState | undefined> {
    return this.locks.run(id, async () => {
      const job = await this.get(id);
      if (!job || mutate(job) === false) return job;
      job.updatedAt = new Date(this.clock.now()).toISOString();
      await this.write(job);
      return job;
    });
  }

  /** Every export on disk (unreadable ones are logged and skipped). */
  async list(): Promise<ExportJobState[]> {
    let names: string[];
    try {
      names = await readdir(this.root);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const jobs: ExportJobState[] = [];
    for (const name of names.filter((n) => UUID_RE.test(n))) {
      try {
        const job = await this.get(name);
        if (job) jobs.push(job);
      } catch (err) {
        this.logger.warn(`Skipping unreadable export ${name}: ${(err as Error).message}`);
      }
    }
    return jobs;
  }

  /** Removes a window's temporary and committed files (before a window is redone). */
  async discardWindow(id: string, index: number): Promise<void> {
    await rm(this.windowTempFile(id, index), { force: true });
    await rm(this.windowFile(id, index), { force: true });
  }

  private async write(job: ExportJobState): Promise<void> {
    const target = join(this.dir(job.id), 'job.json');
    const tmp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(JSON.stringify(job, null, 2));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, target);
  }
}

export function isExportId(id: string): boolean {
  return UUID_RE.test(id);
}

function assertId(id: string): string {
  // Ids become path segments: anything but a UUID could escape DATA_DIR.
  if (!UUID_RE.test(id)) throw new Error(`invalid export id ${JSON.stringify(id)}`);
  return id.toLowerCase();
}

function parseJob(text: string, id: string): ExportJobState {
  const job = JSON.parse(text) as ExportJobState;
  if (job?.version !== 1 || job.id !== id.toLowerCase() || !Array.isArray(job.windows)) {
    throw new Error(`export ${id}: job.json has an unexpected shape`);
  }
  return job;
}
