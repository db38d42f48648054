import { totalCounts } from './export-counts';
import { exportLinks } from './export-links';
import type { ExportStatusResponseDto } from './export.dto';
import { FINISHED_STATUSES, type ExportJobState } from './export.types';

export interface StatusViewOptions {
  /** How long finished results are kept (EXPORT_RETENTION_HOURS), for `expiresAt`. */
  retentionMs: number;
}

/** The public status document of an export (no owner, no internal attempt bookkeeping). */
export function toStatusView(
  job: ExportJobState,
  options: StatusViewOptions,
): ExportStatusResponseDto {
  const windowsTotal = job.windows.length;
  const windowsDone = job.windows.filter(
    (w) => w.status === 'completed' || w.status === 'failed',
  ).length;
  return {
    id: job.id,
    status: job.status,
    start: job.start,
    end: job.end,
    progress: {
      windowsTotal,
      windowsDone,
      percent: windowsTotal === 0 ? 100 : Math.round((windowsDone / windowsTotal) * 100),
    },
    counts: totalCounts(job),
    windows: job.windows.map((w) => ({
      dateFrom: w.dateFrom,
      dateTo: w.dateTo,
      upstreamJobId: w.upstreamJobId,
      status: w.status,
      ...(w.error !== undefined && w.status !== 'completed' ? { error: w.error } : {}),
    })),
    webhook: {
      url: job.webhook.url,
      attempts: job.webhook.attempts,
      delivered: job.webhook.state === 'delivered',
    },
    links: exportLinks(job.id),
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    expiresAt: expiresAt(job, options.retentionMs),
    expiredAt: job.resultsRemoved?.at ?? null,
    expiredReason: job.resultsRemoved?.reason ?? null,
  };
}

/** When a finished export's results will be removed; null before it finishes or once removed. */
export function expiresAt(job: ExportJobState, retentionMs: number): string | null {
  const finishedAt = finishedAtMs(job);
  if (finishedAt === undefined || job.resultsRemoved) return null;
  return new Date(finishedAt + retentionMs).toISOString();
}

/** When the export finished (older states without the stamp: their last change). */
export function finishedAtMs(job: ExportJobState): number | undefined {
  if (!FINISHED_STATUSES.has(job.status)) return undefined;
  return Date.parse(job.finishedAt ?? job.updatedAt);
}

/** `dateFrom/dateTo` of each window that is not in the result, comma-separated. */
export function missingWindows(job: ExportJobState): string {
  return job.windows
    .filter((w) => w.status !== 'completed')
    .map((w) => `${w.dateFrom}/${w.dateTo}`)
    .join(',');
}
