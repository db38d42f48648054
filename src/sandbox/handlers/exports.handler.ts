import type { DownloadFault, DownloadPlan } from '../export-download';
import {
  FAILED_JOB_MESSAGE,
  MAX_ACTIVE_EXPORTS,
  type ExportJob,
  type ExportJobStatus,
} from '../export-jobs.store';
import { copiesInWindow } from '../export-events.generator';
import { ExportPrerender } from '../export-prerender';
import { DAY_MS, parseIsoInstant } from '../iso-time';
import {
  failure,
  isRecord,
  json,
  parseJson,
  type HandlerResult,
  type SandboxRequest,
} from '../sandbox-http';
import type { SandboxState } from '../sandbox-state';

export const MAX_EXPORT_WINDOW_DAYS = 30;
const STATUSES: readonly ExportJobStatus[] = ['queued', 'running', 'completed', 'failed'];

function badRequest(message: string): HandlerResult {
  return failure(400, 'bad_request', message);
}

interface CreateInput {
  fromMs: number;
  toMs: number;
  query: ExportJob['query'];
  gzip: boolean;
}

function parseCreate(body: unknown): CreateInput | string {
  if (!isRecord(body) || !isRecord(body.query)) return 'Body must contain a query object';
  const { dateFrom, dateTo, filter } = body.query;
  const fromMs = parseIsoInstant(dateFrom);
  const toMs = parseIsoInstant(dateTo);
  if (fromMs === undefined || toMs === undefined)
    return 'query.dateFrom and query.dateTo are required ISO 8601 timestamps';
  if (toMs <= fromMs) return 'query.dateTo must be after query.dateFrom';
  if (toMs - fromMs > MAX_EXPORT_WINDOW_DAYS * DAY_MS)
    return `The date range may not exceed ${MAX_EXPORT_WINDOW_DAYS} days`;
  if (body.format !== undefined && body.format !== 'json') return 'format must be "json"';
  const { compression } = body;
  if (
    compression !== undefined &&
    compression !== null &&
    compression !== 'gzip' &&
    compression !== 'none'
  )
    return 'compression must be "gzip", "none" or null';
  return {
    fromMs,
    toMs,
    query: {
      dateFrom: String(dateFrom),
      dateTo: String(dateTo),
      ...(filter === undefined ? {} : { filter }),
    },
    gzip: compression === undefined || compression === 'gzip',
  };
}

export function handleExportCreate(state: SandboxState, req: SandboxRequest): HandlerResult {
  const body = parseJson(req.body);
  if (!body.ok) return badRequest('Body is not valid JSON');
  const input = parseCreate(body.value);
  if (typeof input === 'string') return badRequest(input);
  if (state.jobs.activeCount() >= MAX_ACTIVE_EXPORTS)
    return failure(409, 'conflict', 'Concurrent export limit reached');
  // Consumed only by jobs that are really created, so `times: 1` fails exactly one job.
  const willFail = state.faults.take('exportCreate', 'failJob');
  const job = state.jobs.create({ ...input, willFail });
  if (!job) return failure(409, 'conflict', 'Concurrent export limit reached');
  // A job that will fail never gets a file, so there is nothing to prepare.
  if (state.options.exportPrerender && !willFail)
    job.prerender = ExportPrerender.start(downloadPlan(state, job), state.now);
  return json(
    202,
    {
      id: job.id,
      status: 'queued',
      createdAt: new Date(job.createdAtMs).toISOString(),
      query: job.query,
    },
    { Location: `/api/v2/analytics/exports/${job.id}` },
  );
}

export function handleExportList(state: SandboxState, req: SandboxRequest): HandlerResult {
  const wanted = (req.query.get('status') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const unknown = wanted.find((s) => !STATUSES.includes(s as ExportJobStatus));
  if (unknown !== undefined)
    return badRequest(`Unknown status ${unknown}; allowed: ${STATUSES.join(', ')}`);
  const entities = state.jobs
    .list()
    .map((job) => ({ job, status: state.jobs.status(job) }))
    .filter(({ status }) => wanted.length === 0 || wanted.includes(status))
    .map(({ job, status }) => ({
      id: job.id,
      status,
      createdAt: new Date(job.createdAtMs).toISOString(),
      query: job.query,
    }));
  return json(200, { entities });
}

/** Raw records one download of the job returns (duplicate copies and invalid records included). */
export function jobRecordCount(state: SandboxState, job: ExportJob): number {
  if (job.recordCount === undefined) {
    let count = 0;
    let anchorPending = true;
    for (const event of state.exportEvents.eventsIn(job.fromMs, job.toMs)) {
      const isAnchor = anchorPending && event.defect === undefined;
      if (isAnchor) anchorPending = false;
      count += copiesInWindow(event, isAnchor);
    }
    job.recordCount = count;
  }
  return job.recordCount;
}

/** How a download of the job is produced: the tenant's gzip mode, unless created uncompressed. */
export function downloadPlan(
  state: SandboxState,
  job: ExportJob,
  fault?: DownloadFault,
): DownloadPlan {
  return {
    job,
    generator: state.exportEvents,
    mode: job.gzip ? state.options.exportGzipMode : 'none',
    fault,
    recordCount: fault === 'truncatedGzip' ? jobRecordCount(state, job) : 0,
  };
}

export function handleExportGet(state: SandboxState, req: SandboxRequest): HandlerResult {
  const job = state.jobs.get(req.params.exportId);
  if (!job) return failure(404, 'not_found', `Export ${req.params.exportId} not found`);
  const status = state.jobs.status(job);
  return json(200, {
    id: job.id,
    status,
    createdAt: new Date(job.createdAtMs).toISOString(),
    updatedAt: new Date(state.jobs.updatedAtMs(job)).toISOString(),
    query: job.query,
    ...(status === 'failed' ? { errorMessage: FAILED_JOB_MESSAGE } : {}),
    ...(status === 'completed' ? { recordCount: jobRecordCount(state, job) } : {}),
  });
}

export function handleExportDownload(state: SandboxState, req: SandboxRequest): HandlerResult {
  const job = state.jobs.get(req.params.exportId);
  if (!job) return failure(404, 'not_found', `Export ${req.params.exportId} not found`);
  const status = state.jobs.status(job);
  if (status !== 'completed')
    return failure(409, 'conflict', `Export ${job.id} is ${status}, not completed`);
  return { kind: 'download', job };
}
