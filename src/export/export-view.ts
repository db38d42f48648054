import { totalCounts } from './export-counts';
import { exportLinks } from './export-links';
import type { ExportStatusResponseDto } from './export.dto';
import type { ExportJobState } from './export.types';

/** The public status document of an export (no owner, no internal attempt bookkeeping). */
export function toStatusView(job: ExportJobState): ExportStatusResponseDto {
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
  };
}

/** `dateFrom/dateTo` of each window that is not in the result, comma-separated. */
export function missingWindows(job: ExportJobState): string {
  return job.windows
    .filter((w) => w.status !== 'completed')
    .map((w) => `${w.dateFrom}/${w.dateTo}`)
    .join(',');
}
