import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { KeyedMutex } from '../common/concurrency/keyed-mutex';
import {
  assertExportId,
  checkJobShape,
  isExportId,
  type CasOutcome,
  type JobStateBackend,
  type VersionedJob,
} from './export-job-state';
import type { ExportJobState } from './export.types';

/**
 * One compare-and-write at a time per job.json in this process, whichever store instance asks:
 * the comparison and the rename must not interleave with another writer's.
 */
const fileLocks = new KeyedMutex();
const sections = new KeyedMutex();

/**
 * Memory mode: `<root>/<id>/job.json`, the job plus its `revision`. Writes go to a temporary file
 * that is fsynced and renamed over the old one, so a crash leaves the old or the new state, never
 * a torn file. Compare-and-set holds within one process; without Redis only one gateway may use
 * a DATA_DIR (it has no shared queue either).
 */
export class FileJobState implements JobStateBackend {
  private readonly logger = new Logger('ExportJobStore');

  constructor(private readonly root: string) {}

  async insert(job: ExportJobState): Promise<void> {
    const path = this.file(job.id);
    await mkdir(join(this.root, assertExportId(job.id)), { recursive: true });
    await fileLocks.run(path, () => writeAtomically(path, { ...job, revision: 1 }));
  }

  read(id: string): Promise<VersionedJob | undefined> {
    const path = this.file(id);
    // Never beside a write: a read racing a rename would hand out a revision about to be stale.
    return fileLocks.run(path, () => this.readUnlocked(path, id));
  }

  private async readUnlocked(path: string, id: string): Promise<VersionedJob | undefined> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    const { revision, ...job } = JSON.parse(text) as ExportJobState & { revision?: unknown };
    // Files written before revisions existed count as revision 0.
    return { revision: typeof revision === 'number' ? revision : 0, job: checkJobShape(job, id) };
  }

  async compareAndSet(id: string, expected: number, job: ExportJobState): Promise<CasOutcome> {
    const path = this.file(id);
    return fileLocks.run(path, async () => {
      const current = await this.readUnlocked(path, id);
      if (!current) return 'missing';
      if (current.revision !== expected) return 'conflict';
      await writeAtomically(path, { ...job, revision: expected + 1 });
      return 'written';
    });
  }

  async list(): Promise<ExportJobState[]> {
    let names: string[];
    try {
      names = await readdir(this.root);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const jobs: ExportJobState[] = [];
    for (const name of names.filter(isExportId)) {
      try {
        const stored = await this.read(name);
        if (stored) jobs.push(stored.job);
      } catch (err) {
        this.logger.warn(`Skipping unreadable export ${name}: ${(err as Error).message}`);
      }
    }
    return jobs;
  }

  async remove(id: string): Promise<void> {
    const path = this.file(id);
    await fileLocks.run(path, () => rm(path, { force: true }));
  }

  /** Memory mode has one gateway per DATA_DIR, so the process-wide mutex is enough. */
  exclusive<T>(name: string, section: () => Promise<T>): Promise<T> {
    return sections.run(name, section);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private file(id: string): string {
    return join(this.root, assertExportId(id), 'job.json');
  }
}

async function writeAtomically(target: string, doc: object): Promise<void> {
  const tmp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(JSON.stringify(doc, null, 2));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, target);
}
