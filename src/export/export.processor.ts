import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { Clock } from '../common/clock/clock';
import type { CompactKeySet } from '../common/collections/compact-key-set';
import { APP_CONFIG } from '../config/config.constants';
import type { AppConfig } from '../config/app-config.types';
import { finalStatus } from './export-counts';
import { ExportJobStore, isStoreUnavailable } from './export-job.store';
import { ExportJobsGauge } from './export-jobs.gauge';
import { runWindowPipeline, WindowDownloadError } from './export-pipeline';
import { runRecordPipeline } from './record-stream.pipeline';
import { ExportResultReader } from './export-result.reader';
import { ExportSlotGate } from './export-slot.gate';
import { ExportStopped, isStopped, type StopReason } from './export-stop';
import { ExportWebhookNotifier } from './export-webhook';
import {
  FINISHED_STATUSES,
  type ExportCounts,
  type ExportJobState,
  type ExportStatus,
} from './export.types';
import { EXPORT_SOURCE, type ExportSource } from './export.source';

/** How long one upstream job may stay queued/running (and a slot may be awaited) per attempt. */
export const MAX_UPSTREAM_WAIT_MS = 2 * 60 * 60 * 1000;
const MAX_POLL_INTERVAL_MS = 30_000;

/**
 * Runs one export to its end, resumably: for each window not yet committed, reuse the upstream
 * job recorded in the store (or create one through the slot gate and record its id before
 * polling), poll with a growing interval, stream the download through the pipeline into the
 * store's result writer, and commit it and the window's counts. Failed attempts are retried
 * up to EXPORT_WINDOW_ATTEMPTS (a failed upstream job is replaced, a bad download is fetched
 * again) and contribute nothing. Then the final status and the webhook. The same code serves
 * the BullMQ worker and the in-process runner.
 *
 * Every write of the worker yields to a cancel: it is applied only to a state that is not
 * cancelled, and the store's compare-and-set re-applies it to the fresh state when another replica
 * wrote in between, so a cancel made anywhere stops the export instead of being overwritten.
 */
@Injectable()
export class ExportProcessor {
  private readonly logger = new Logger('ExportProcessor');
  private readonly running = new Map<string, AbortController>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly store: ExportJobStore,
    private readonly gate: ExportSlotGate,
    @Inject(EXPORT_SOURCE) private readonly source: ExportSource,
    private readonly reader: ExportResultReader,
    private readonly webhook: ExportWebhookNotifier,
    private readonly gauge: ExportJobsGauge,
  ) {}

  /**
   * Processes (or resumes) export `id`. Resolves when it finished, was cancelled or failed for an
   * unexpected reason (then marked failed); rejects with ExportStopped('shutdown') or when the
   * state store is unreachable, so the runner keeps it for the next start (or BullMQ retries it).
   */
  async process(id: string): Promise<void> {
    if (this.running.has(id)) return;
    const controller = new AbortController();
    this.running.set(id, controller);
    try {
      await this.run(id, controller.signal);
    } catch (err) {
      if (isStopped(err, 'shutdown') || isStoreUnavailable(err)) throw err;
      if (isStopped(err)) await this.removeCancelled(id);
      else await this.failUnexpectedly(id, err);
    } finally {
      this.running.delete(id);
    }
  }

  /** Stops a job running in this process (its signal aborts polling, downloads and waits). */
  stop(id: string, reason: StopReason): void {
    this.running.get(id)?.abort(new ExportStopped(reason));
  }

  stopAll(reason: StopReason): void {
    for (const id of this.running.keys()) this.stop(id, reason);
  }

  get activeCount(): number {
    return this.running.size;
  }

  private async run(id: string, signal: AbortSignal): Promise<void> {
    let job = await this.store.get(id);
    if (!job) return;
    if (job.status === 'cancelled') throw new ExportStopped('cancelled');
    if (!FINISHED_STATUSES.has(job.status)) {
      job = await this.setStatus(id, 'running');
      const seen = await this.reader.seenIds(job);
      for (const w of job.windows) {
        if (w.status === 'completed' || w.status === 'failed') continue;
        await this.runWindow(id, w.index, seen, signal);
      }
      job = await this.finish(id);
    }
    await this.webhook.notify(job, signal);
  }

  private async runWindow(id: string, index: number, seen: CompactKeySet, signal: AbortSignal) {
    // Anything on disk for an uncommitted window is from an interrupted attempt.
    await this.store.removeResult(id, index);
    let lastError = 'no attempt made';
    for (;;) {
      const job = await this.current(id);
      const w = job.windows[index];
      if (w.attempts >= this.config.export.windowAttempts) break;
      await this.patchWindow(id, index, (win) => void (win.status = 'running'));
      try {
        await this.attemptWindow(id, index, seen, signal);
        return;
      } catch (err) {
        if (isStopped(err) || signal.aborted) throw signal.reason ?? err;
        // Not the window's fault: the attempt is not counted, the whole export is retried later.
        if (isStoreUnavailable(err)) throw err;
        lastError = describe(err);
        await this.recordFailedAttempt({ id, index, error: lastError, err, signal });
      }
    }
    await this.patchWindow(id, index, (win) => {
      win.status = 'failed';
      win.error = lastError;
    });
    this.logger.warn(`Export ${id} window ${index} failed after retries: ${lastError}`);
  }

  /** One attempt: an upstream job (reused or new), its completion, then download and commit. */
  private async attemptWindow(id: string, index: number, seen: CompactKeySet, signal: AbortSignal) {
    const upstreamId = await this.upstreamJobFor(id, index, signal);
    await this.awaitUpstream(id, upstreamId, signal);
    const job = await this.current(id);
    const download = await this.source.download(upstreamId, signal, {
      window: job.windows[index],
      dataset: job.dataset,
    });
    const sink = await this.store.openResultWriter(id, index);
    const result: {
      counts: ExportCounts;
      ids: CompactKeySet;
      columns?: string[];
      keyColumn?: string;
    } =
      'kind' in download
        ? await runRecordPipeline({ download, seen, sink, signal })
        : await runWindowPipeline({
            body: download.stream,
            headers: download.headers,
            seen,
            sink,
            maxDecompressedBytes: this.config.export.maxDecompressedBytes,
            signal,
          });
    await this.store.commitResult(id, index);
    await this.patchWindow(id, index, (win) => {
      win.status = 'completed';
      win.counts = result.counts;
      if (result.columns) win.columns = result.columns;
      if (result.keyColumn) win.keyColumn = result.keyColumn;
      delete win.error;
    });
    // Only now, with the window committed, do its ids count as seen.
    seen.addAll(result.ids);
  }

  private async upstreamJobFor(id: string, index: number, signal: AbortSignal): Promise<string> {
    const job = await this.current(id);
    const existing = job.windows[index];
    if (existing.upstreamJobId) return existing.upstreamJobId;
    const created = await this.gate.createJob({
      window: existing,
      owner: job.owner,
      signal,
      maxWaitMs: MAX_UPSTREAM_WAIT_MS,
      dataset: job.dataset,
    });
    // Recorded before polling: a restart from here on polls this job instead of making another.
    await this.patchWindow(id, index, (win) => void (win.upstreamJobId = created.id));
    return created.id;
  }

  /** Polls until the upstream job completes; throws UpstreamJobFailed when it failed. */
  private async awaitUpstream(id: string, upstreamId: string, signal: AbortSignal) {
    const { pollIntervalMs } = this.config.export;
    const giveUpAt = this.clock.now() + MAX_UPSTREAM_WAIT_MS;
    let delay = pollIntervalMs;
    for (;;) {
      const job = await this.source.get(upstreamId, signal);
      if (job.status === 'completed') return;
      if (job.status === 'failed') throw new UpstreamJobFailed(job.errorMessage, job.retryable);
      if (this.clock.now() > giveUpAt) {
        throw new WindowDownloadError(`upstream job ${upstreamId} did not finish in time`);
      }
      await this.clock.sleep(delay, signal);
      delay = Math.min(delay * 1.5, Math.max(pollIntervalMs, MAX_POLL_INTERVAL_MS));
      // A cancel made on another replica reaches this worker through the store.
      if ((await this.current(id)).status === 'cancelled') throw new ExportStopped('cancelled');
    }
  }

  private async recordFailedAttempt(failure: FailedAttempt) {
    const { id, index, error, err, signal } = failure;
    // A failed or vanished upstream job cannot be downloaded again: the next attempt makes a new one.
    const replaceJob =
      err instanceof UpstreamJobFailed ||
      (err instanceof AppError && err.code === 'UPSTREAM_NOT_FOUND');
    await this.store.removeResult(id, index);
    // A job another attempt would fail the same way ends the window now.
    const final = err instanceof UpstreamJobFailed && !err.retryable;
    const job = await this.patchWindow(id, index, (win) => {
      win.attempts = final ? this.config.export.windowAttempts : win.attempts + 1;
      win.error = error;
      if (replaceJob) win.upstreamJobId = null;
    });
    const attempts = job.windows[index].attempts;
    this.logger.warn(`Export ${id} window ${index} attempt ${attempts} failed: ${error}`);
    if (attempts < this.config.export.windowAttempts) {
      await this.clock.sleep(
        Math.min(this.config.export.pollIntervalMs * attempts, 10_000),
        signal,
      );
    }
  }

  private async finish(id: string): Promise<ExportJobState> {
    const job = await this.current(id);
    if (job.status === 'cancelled') return job;
    return this.setStatus(id, finalStatus(job));
  }

  private async setStatus(id: string, status: ExportStatus): Promise<ExportJobState> {
    let from: ExportStatus | undefined;
    const job = await this.store.update(id, (j) => {
      from = undefined;
      // A cancel (possibly from another replica) wins over anything the worker would write.
      if (j.status === 'cancelled' || j.status === status) return false;
      from = j.status;
      j.status = status;
    });
    if (!job) throw new ExportStopped('cancelled');
    if (from) this.gauge.moved(from, status);
    if (job.status === 'cancelled') throw new ExportStopped('cancelled');
    return job;
  }

  private async patchWindow(
    id: string,
    index: number,
    mutate: (w: ExportJobState['windows'][number]) => void,
  ): Promise<ExportJobState> {
    const job = await this.store.update(id, (j) => {
      if (j.status === 'cancelled') return false;
      mutate(j.windows[index]);
    });
    if (!job || job.status === 'cancelled') throw new ExportStopped('cancelled');
    return job;
  }

  private async current(id: string): Promise<ExportJobState> {
    const job = await this.store.get(id);
    if (!job) throw new ExportStopped('cancelled');
    return job;
  }

  /** A cancelled export's windows go once this worker, the one writing them, has stopped. */
  private async removeCancelled(id: string): Promise<void> {
    try {
      // The cancel marked them removed; only the files are left to go (no state write).
      await this.store.removeResults(id);
    } catch (err) {
      // The retention sweeper removes them on its next round.
      this.logger.warn(`Export ${id}: could not remove the cancelled windows: ${describe(err)}`);
    }
  }

  private async failUnexpectedly(id: string, err: unknown): Promise<void> {
    this.logger.error(`Export ${id} failed unexpectedly: ${describe(err)}`);
    try {
      let from: ExportStatus | undefined;
      await this.store.update(id, (j) => {
        from = undefined;
        // Whatever finished it meanwhile (a cancel on another replica) stands.
        if (FINISHED_STATUSES.has(j.status)) return false;
        from = j.status;
        j.status = 'failed';
        j.error = 'internal error while processing the export';
      });
      if (from) this.gauge.moved(from, 'failed');
    } catch (storeErr) {
      this.logger.error(`Export ${id}: could not record the failure: ${describe(storeErr)}`);
    }
  }
}

interface FailedAttempt {
  id: string;
  index: number;
  error: string;
  err: unknown;
  signal: AbortSignal;
}

/** The upstream job ended `failed`; the window needs a new upstream job. */
class UpstreamJobFailed extends Error {
  constructor(
    upstreamMessage?: string,
    readonly retryable = true,
  ) {
    super(`upstream export job failed: ${upstreamMessage ?? 'no reason given'}`);
    this.name = 'UpstreamJobFailed';
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
