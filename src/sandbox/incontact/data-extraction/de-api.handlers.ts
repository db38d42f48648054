import { DeFilePrerender } from './de-file.prerender';
import {
  isRecord,
  json,
  parseJson,
  type HandlerResult,
  type JsonResult,
  type SandboxRequest,
} from '../../sandbox-http';
import type { SandboxState } from '../../sandbox-state';
import { dataExtractionTenant } from './de-auth';
import { dataExtractionOf, type DataExtractionState } from './data-extraction.state';
import { FAILED_JOB_MESSAGE, type DeCallKind, type DeJob, type DeJobStatus } from './de-jobs.store';
import { dayOf } from './de-truth';
import { parseIsoInstant } from '../../iso-time';
import { textResult } from './raw-results';
import { startDateStyleOf } from './start-date.format';

/** Longest file one job may cover, in days (bounds what one request can make the sandbox do). */
export const MAX_JOB_DAYS = 31;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

function error(status: number, code: string, description: string): JsonResult {
  return json(status, { error: code, errorDescription: description });
}

/** Auth and the throttle, in that order; undefined when the call may go on. */
function gate(
  state: SandboxState,
  req: SandboxRequest,
  kind: DeCallKind,
): { de: DataExtractionState; tenant: string } | HandlerResult {
  const tenant = dataExtractionTenant(state, req);
  if (!tenant) return error(401, 'invalid_token', 'Missing, invalid or expired access token');
  const de = dataExtractionOf(state);
  const { throttleScope, throttleMs, throttleStatus } = de.options;
  if (!de.throttle.admit(tenant, kind, throttleScope, throttleMs)) {
    // The real body is not documented; a short text like this is what clients print.
    return textResult(throttleStatus, 'Too many requests: one call per 30 seconds is allowed.');
  }
  return { de, tenant };
}

const isGate = (g: unknown): g is { de: DataExtractionState; tenant: string } =>
  isRecord(g) && 'tenant' in g;

function day(value: unknown): number | undefined {
  if (typeof value !== 'string' || !DATE_RE.test(value)) return undefined;
  const ms = parseIsoInstant(value);
  return ms === undefined ? undefined : dayOf(ms);
}

/** The file's days [first, end) for the body's dates under the current endDate reading. */
function fileDays(
  de: DataExtractionState,
  body: Record<string, unknown>,
): { firstDay: number; endDay: number } | string {
  const first = day(body.startDate);
  const last = day(body.endDate);
  if (first === undefined) return 'startDate must be a date as YYYY-MM-DD';
  if (last === undefined) return 'endDate must be a date as YYYY-MM-DD';
  const endDay = de.options.endDateReading === 'inclusive' ? last + 1 : last;
  if (endDay <= first)
    return de.options.endDateReading === 'inclusive'
      ? 'endDate must not be before startDate'
      : 'endDate must be after startDate';
  if (endDay - first > MAX_JOB_DAYS) return `a job may cover at most ${MAX_JOB_DAYS} days`;
  return { firstDay: first, endDay };
}

/** POST /data-extraction/v1/jobs `{entityName, version, startDate, endDate}` → 202 + job id. */
export function handleDeJobCreate(state: SandboxState, req: SandboxRequest): HandlerResult {
  const g = gate(state, req, 'create');
  if (!isGate(g)) return g;
  const { de, tenant } = g;
  const parsed = parseJson(req.body);
  if (!parsed.ok || !isRecord(parsed.value))
    return error(400, 'invalid_request', 'Body must be a JSON object');
  const body = parsed.value;
  if (typeof body.entityName !== 'string' || typeof body.version !== 'string')
    return error(400, 'invalid_request', 'entityName and version are required strings');
  const entity = de.entity(body.entityName, body.version);
  if (!entity) {
    const known = JSON.stringify(de.catalogue());
    return error(
      400,
      'invalid_request',
      `Unknown entity ${body.entityName} v${body.version}; known: ${known}`,
    );
  }
  const days = fileDays(de, body);
  if (typeof days === 'string') return error(400, 'invalid_request', days);
  const { runningMs, retentionMs, jobIdAs, prerender } = de.options;
  // Consumed only by jobs really created, so `times: 1` fails exactly one job.
  const willFail = state.faults.take('dataExtractionCreate', 'failJob');
  const plan = { entity, rows: de.rows, ...days, startDates: startDateStyleOf(de.options) };
  const job = de.jobs.create(
    {
      tenant,
      plan,
      runningMs,
      retentionMs,
      willFail,
      ...(prerender === 'on' && !willFail
        ? { prerender: DeFilePrerender.start(plan, de.now) }
        : {}),
    },
    jobIdAs === 'number',
  );
  if (jobIdAs === 'number') return json(202, { jobId: Number(job.id) });
  return json(202, jobIdAs === 'object' ? { jobId: job.id } : job.id);
}

/** GET /data-extraction/v1/jobs → `{jobs: [{id, status}]}` (the tenant's jobs). */
export function handleDeJobList(state: SandboxState, req: SandboxRequest): HandlerResult {
  const g = gate(state, req, 'list');
  if (!isGate(g)) return g;
  const { de, tenant } = g;
  const jobs = de.jobs
    .list(tenant)
    .map((job) => ({ id: wireId(de, job), status: spelled(de, job) }));
  return json(200, { jobs });
}

/** GET /data-extraction/v1/jobs/{jobId} → `{jobStatus: {id, status, result?}}`. */
export function handleDeJobGet(state: SandboxState, req: SandboxRequest): HandlerResult {
  const g = gate(state, req, 'get');
  if (!isGate(g)) return g;
  const { de, tenant } = g;
  const job = de.jobs.get(tenant, req.params.jobId);
  if (!job) return error(404, 'not_found', `Job ${req.params.jobId} not found`);
  const status = de.jobs.status(job);
  const jobStatus: Record<string, unknown> = { id: wireId(de, job), status: spelled(de, job) };
  if (status === 'SUCCEEDED') {
    jobStatus.result = { url: downloadUrl(de, req, job), errorMessage: null };
  } else if (status === 'FAILED') {
    jobStatus.result = { errorMessage: FAILED_JOB_MESSAGE };
  }
  return json(200, { jobStatus });
}

/** A pre-signed URL on this sandbox's host: minted now, or once at success (`urlMinting`). */
function downloadUrl(de: DataExtractionState, req: SandboxRequest, job: DeJob): string {
  const { urlMinting, urlTtlMs } = de.options;
  const issuedAt = urlMinting === 'once' ? de.jobs.succeededAtMs(job) : de.now();
  const host = req.headers.host ?? '127.0.0.1';
  return `http://${host}${de.signer.sign(job.id, issuedAt, urlTtlMs)}`;
}

const TITLE: Record<DeJobStatus, string> = {
  RUNNING: 'Running',
  SUCCEEDED: 'Succeeded',
  FAILED: 'Failed',
  EXPIRED: 'Expired',
};

/** A job id as the answers carry it: a number for numeric ids (`jobIdAs: number`). */
function wireId(de: DataExtractionState, job: DeJob): string | number {
  return /^\d+$/.test(job.id) && de.options.jobIdAs === 'number' ? Number(job.id) : job.id;
}

function spelled(de: DataExtractionState, job: DeJob): string {
  const status = de.jobs.status(job);
  return de.options.statusCase === 'title' ? TITLE[status] : status;
}
