import { randomUUID } from 'node:crypto';
import type { FilePlan } from './de-file';
import type { DeFilePrerender } from './de-file.prerender';

/** The spec's JobStatus values this simulator produces (CANCELLED has no documented trigger). */
export type DeJobStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'EXPIRED';

export interface DeJob {
  id: string;
  tenant: string;
  /** The job's file: entity and UTC days, the endDate reading already applied. */
  plan: FilePlan;
  createdAtMs: number;
  /** Timings fixed at creation, so a later option change never rewrites a job's history. */
  runningMs: number;
  retentionMs: number;
  willFail: boolean;
  /** The file rendered while the job runs (SANDBOX_DE_PRERENDER=on). */
  prerender?: DeFilePrerender;
}

export const FAILED_JOB_MESSAGE = 'Data extraction failed: simulated upstream error';
const MAX_KEPT_JOBS = 1000;

/**
 * Data Extraction jobs whose status is a pure function of the sandbox clock: RUNNING for
 * `runningMs` (and, when its file is being prerendered, until that is done), then SUCCEEDED (or
 * FAILED when scripted), and a SUCCEEDED job reads EXPIRED once `retentionMs` have passed.
 * Nothing else ticks in the background. Jobs are per tenant: another tenant's job id is unknown.
 */
export class DeJobStore {
  private readonly jobs = new Map<string, DeJob>();
  /** Creates made while another job of the same tenant was RUNNING (a client breaking the rule). */
  createsWhileRunning = 0;
  /** Highest number of one tenant's jobs RUNNING at once. */
  runningHighWater = 0;
  created = 0;
  /** The next numeric job id (`jobIdAs: number`); never reused within a sandbox's life. */
  private nextNumericId = 4_700_001;

  constructor(private readonly now: () => number) {}

  /** A new job, its id a UUID or (`numericId`) a whole number written as digits. */
  create(input: Omit<DeJob, 'id' | 'createdAtMs'>, numericId = false): DeJob {
    const running = this.list(input.tenant).filter((j) => this.status(j) === 'RUNNING').length;
    if (running > 0) this.createsWhileRunning += 1;
    const id = numericId ? String(this.nextNumericId++) : randomUUID();
    const job: DeJob = { ...input, id, createdAtMs: this.now() };
    this.jobs.set(job.id, job);
    this.created += 1;
    // RUNNING counts only rise at creations, so the peak is always observed here.
    this.runningHighWater = Math.max(
      this.runningHighWater,
      running + (input.runningMs > 0 ? 1 : 0),
    );
    this.evictOld();
    return job;
  }

  get(tenant: string, id: string): DeJob | undefined {
    const job = this.jobs.get(id);
    return job?.tenant === tenant ? job : undefined;
  }

  /** Any tenant's job (the storage route is addressed by job id alone, like an object key). */
  byId(id: string): DeJob | undefined {
    return this.jobs.get(id);
  }

  list(tenant: string): DeJob[] {
    return [...this.jobs.values()].filter((j) => j.tenant === tenant);
  }

  status(job: DeJob): DeJobStatus {
    const now = this.now();
    if (now < job.createdAtMs + job.runningMs) return 'RUNNING';
    if (job.prerender && job.prerender.finishedAtMs === undefined) return 'RUNNING';
    if (job.willFail) return 'FAILED';
    return now < this.succeededAtMs(job) + job.retentionMs ? 'SUCCEEDED' : 'EXPIRED';
  }

  /** When the job's file became ready. */
  succeededAtMs(job: DeJob): number {
    return Math.max(job.createdAtMs + job.runningMs, job.prerender?.finishedAtMs ?? 0);
  }

  clear(): void {
    for (const job of this.jobs.values()) job.prerender?.release();
    this.jobs.clear();
    this.resetCounters();
  }

  resetCounters(): void {
    this.createsWhileRunning = 0;
    this.runningHighWater = 0;
    this.created = 0;
  }

  private evictOld(): void {
    while (this.jobs.size > MAX_KEPT_JOBS) {
      const oldest = this.jobs.keys().next().value;
      if (oldest === undefined) return;
      this.jobs.get(oldest)?.prerender?.release();
      this.jobs.delete(oldest);
    }
  }
}

/**
 * The documented "one call per 30 seconds per tenant" rule. Only accepted calls move the window
 * (a throttled call does not restart it). With scope `create` only job creates are counted;
 * with `all`, every Data Extraction API call is (the download from storage never is).
 */
export class DeCallThrottle {
  private readonly lastAccepted = new Map<string, number>();
  readonly throttled: Record<DeCallKind, number> = { create: 0, list: 0, get: 0 };

  constructor(private readonly now: () => number) {}

  /** True when the call may proceed (and is then recorded); false when it is throttled. */
  admit(tenant: string, kind: DeCallKind, scope: 'create' | 'all', intervalMs: number): boolean {
    if (scope === 'create' && kind !== 'create') return true;
    const now = this.now();
    const last = this.lastAccepted.get(tenant);
    if (last !== undefined && now - last < intervalMs) {
      this.throttled[kind] += 1;
      return false;
    }
    this.lastAccepted.set(tenant, now);
    return true;
  }

  reset(): void {
    this.lastAccepted.clear();
    this.resetCounters();
  }

  resetCounters(): void {
    this.throttled.create = 0;
    this.throttled.list = 0;
    this.throttled.get = 0;
  }
}

export type DeCallKind = 'create' | 'list' | 'get';
