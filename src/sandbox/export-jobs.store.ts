import { randomUUID } from 'node:crypto';

export type ExportJobStatus = 'queued' | 'running' | 'completed' | 'failed';

export interface ExportQuery {
  dateFrom: string;
  dateTo: string;
  filter?: unknown;
}

export interface ExportJob {
  id: string;
  createdAtMs: number;
  fromMs: number;
  toMs: number;
  query: ExportQuery;
  /** Whether the download is gzip-compressed (the request's `compression`). */
  gzip: boolean;
  willFail: boolean;
  /** Raw record count of the download, computed on first need. */
  recordCount?: number;
  /** The download rendered ahead of completion (`exportPrerender`); the job completes after it. */
  prerender?: JobPrerender;
}

/** A download body being prepared in the background (implemented by `ExportPrerender`). */
export interface JobPrerender {
  /** The rendered bytes; undefined while rendering, after a failure or after release(). */
  readonly body: Buffer | undefined;
  /** When the render ended, successfully or not; undefined while it runs. */
  readonly finishedAtMs: number | undefined;
  /** Cancels a render in progress and frees the buffer. */
  release(): void;
}

export const MAX_ACTIVE_EXPORTS = 3;
const MAX_KEPT_JOBS = 1000;
export const FAILED_JOB_MESSAGE = 'Export processing failed: simulated upstream error';

/**
 * Export jobs whose status is a pure function of time: queued for `queuedMs`, then running for
 * `runningMs`, then completed (or failed when scripted). Nothing ticks in the background — except a
 * job's prerender, if it has one: the job stays running until that has finished too.
 */
export class ExportJobStore {
  private readonly jobs = new Map<string, ExportJob>();
  private highWater = 0;

  constructor(
    private readonly now: () => number,
    private readonly phases: { queuedMs: number; runningMs: number },
  ) {}

  /** Returns undefined when MAX_ACTIVE_EXPORTS jobs are already queued or running. */
  create(input: Omit<ExportJob, 'id' | 'createdAtMs'>): ExportJob | undefined {
    const active = this.activeCount();
    if (active >= MAX_ACTIVE_EXPORTS) return undefined;
    const job: ExportJob = { ...input, id: randomUUID(), createdAtMs: this.now() };
    this.jobs.set(job.id, job);
    // Active counts only rise at creations, so the peak is always observed here.
    this.highWater = Math.max(this.highWater, active + 1);
    this.evictOld();
    return job;
  }

  get(id: string): ExportJob | undefined {
    return this.jobs.get(id);
  }

  list(): ExportJob[] {
    return [...this.jobs.values()];
  }

  status(job: ExportJob): ExportJobStatus {
    const age = this.now() - job.createdAtMs;
    if (age < this.phases.queuedMs) return 'queued';
    if (age < this.phases.queuedMs + this.phases.runningMs) return 'running';
    if (job.prerender && job.prerender.finishedAtMs === undefined) return 'running';
    return job.willFail ? 'failed' : 'completed';
  }

  /** When the job last changed status. */
  updatedAtMs(job: ExportJob): number {
    const { queuedMs, runningMs } = this.phases;
    const status = this.status(job);
    if (status === 'queued') return job.createdAtMs;
    if (status === 'running') return job.createdAtMs + queuedMs;
    return Math.max(job.createdAtMs + queuedMs + runningMs, job.prerender?.finishedAtMs ?? 0);
  }

  activeCount(): number {
    let active = 0;
    for (const job of this.jobs.values()) {
      const status = this.status(job);
      if (status === 'queued' || status === 'running') active += 1;
    }
    return active;
  }

  /** Highest number of queued|running jobs ever seen at once since the last stats reset. */
  get activeMax(): number {
    return this.highWater;
  }

  resetHighWater(): void {
    this.highWater = 0;
  }

  clear(): void {
    for (const job of this.jobs.values()) job.prerender?.release();
    this.jobs.clear();
    this.highWater = 0;
  }

  private evictOld(): void {
    for (const id of this.jobs.keys()) {
      if (this.jobs.size <= MAX_KEPT_JOBS) return;
      this.jobs.get(id)?.prerender?.release();
      this.jobs.delete(id);
    }
  }
}
