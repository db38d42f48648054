import type { ExportJobState } from './export.types';
import { isUuid } from '../common/validation/uuid';

/** One export's state as stored, with the revision that every write must name. */
export interface VersionedJob {
  /** Bumped by every write; a write naming an older revision is refused. */
  revision: number;
  job: ExportJobState;
}

/** What a compare-and-set did: wrote, lost the race to another writer, or found no export. */
export type CasOutcome = 'written' | 'conflict' | 'missing';

/**
 * Where ExportJobStore keeps export state: job.json files in DATA_DIR (memory mode) or the
 * export Redis (so every replica sees one state). Both give the same guarantee: a write lands
 * only if nobody wrote since the caller read, which is what lets a cancel on one replica survive
 * a worker's update on another.
 */
export interface JobStateBackend {
  /** Stores a new export at revision 1. */
  insert(job: ExportJobState): Promise<void>;
  read(id: string): Promise<VersionedJob | undefined>;
  /** Writes `job` as revision `expected + 1` only while the stored revision is `expected`. */
  compareAndSet(id: string, expected: number, job: ExportJobState): Promise<CasOutcome>;
  /** Every export (unreadable ones are logged and skipped). */
  list(): Promise<ExportJobState[]>;
  /** Forgets export `id` (no-op when unknown). */
  remove(id: string): Promise<void>;
  /**
   * Runs `section` while no other caller of `exclusive(name)` runs one, in this process and (with
   * Redis) on any replica sharing the state.
   */
  exclusive<T>(name: string, section: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function isExportId(id: string): boolean {
  return isUuid(id);
}

/** The id in its stored (lower-case) form; anything but a UUID is refused. */
export function assertExportId(id: string): string {
  // Ids become path segments and key parts: anything but a UUID could escape DATA_DIR.
  if (!isUuid(id)) throw new Error(`invalid export id ${JSON.stringify(id)}`);
  return id.toLowerCase();
}

/** Checks that a stored document is export `id` in the current schema. */
export function checkJobShape(value: unknown, id: string): ExportJobState {
  const job = value as ExportJobState | null;
  if (job?.version !== 1 || job.id !== id.toLowerCase() || !Array.isArray(job.windows)) {
    throw new Error(`export ${id}: stored state has an unexpected shape`);
  }
  return job;
}
