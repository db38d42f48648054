import type { UpstreamJob } from '../../../export/export.source';
import { field } from '../normalise/keys';
import { envelope, payloadList } from '../normalise/wrappers';

/** A Data Extraction job as polled: the mapped status, plus the download URL once SUCCEEDED. */
export interface DeJob extends UpstreamJob {
  url?: string;
}

/** Job ids as far as anything has shown them: UUIDs, or at least one token without spaces. */
const JOB_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{3,127}$/;
/** A whole number of any length written as digits (a numeric id sent as a string). */
const DIGITS = /^\d{1,40}$/;

/**
 * A job id as text: a string as it is, or a finite integer as its decimal string (the id's
 * format is not documented, CXONE-API.md §7.3; the example is a UUID). An integer JSON cannot
 * hold exactly (past 2^53) is refused rather than rounded into another job's id.
 */
export function jobIdText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim();
  if (typeof value !== 'number' || !Number.isInteger(value)) return undefined;
  if (!Number.isSafeInteger(value))
    throw new Error(`the job id ${value} is a number too large to read exactly`);
  return String(value);
}

/**
 * The create answer: the job id as a bare JSON string (the spec), or `{"jobId": …}` (what one
 * public client also accepts). A sentence where the id should be ("No known way to render
 * data") is not an id.
 */
export function parseCreatedJobId(text: string): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = text.trim();
  }
  const raw =
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? field(value as Record<string, unknown>, 'jobId', 'id')
      : value;
  const id = jobIdText(raw);
  if (id === undefined || !(JOB_ID.test(id) || DIGITS.test(id)))
    throw new Error('the create answer holds no job id');
  return id;
}

/**
 * CXone's job status (any case: the spec says RUNNING, the help page Running) as the export
 * feature's: FAILED fails the window for good (another job would fail the same way); CANCELLED
 * and EXPIRED need a new job; SUCCEEDED is completed (its URL is kept for the download).
 */
export function toDeJob(id: string, status: unknown, result: Record<string, unknown>): DeJob {
  if (typeof status !== 'string') throw new Error(`job ${id} has no status`);
  switch (status.trim().toUpperCase()) {
    case 'RUNNING':
      return { id, status: 'running' };
    case 'SUCCEEDED': {
      const url = field(result, 'url');
      return typeof url === 'string' && url !== ''
        ? { id, status: 'completed', url }
        : { id, status: 'completed' };
    }
    case 'FAILED': {
      const message = field(result, 'errorMessage');
      const errorMessage = typeof message === 'string' && message !== '' ? message : 'No details';
      return { id, status: 'failed', errorMessage, retryable: false };
    }
    case 'CANCELLED':
      return { id, status: 'failed', errorMessage: 'the Data Extraction job was cancelled' };
    case 'EXPIRED':
      return {
        id,
        status: 'failed',
        errorMessage: 'the Data Extraction job expired before its file was downloaded',
      };
    default:
      throw new Error(`job ${id} has an unknown status ${JSON.stringify(status.slice(0, 40))}`);
  }
}

/** `GET /jobs/{id}` → `{jobStatus: {id, status, result?: {url, errorMessage}}}`. */
export function parseJobStatus(body: unknown, requestedId: string): DeJob {
  const inner = field(envelope(body), 'jobStatus');
  if (inner === null || typeof inner !== 'object' || Array.isArray(inner))
    throw new Error('expected {jobStatus: {...}}');
  const job = inner as Record<string, unknown>;
  const id = jobIdText(field(job, 'id'));
  const result = field(job, 'result');
  return toDeJob(
    id !== undefined && id !== '' ? id : requestedId,
    field(job, 'status'),
    result !== null && typeof result === 'object' ? (result as Record<string, unknown>) : {},
  );
}

/** `GET /jobs` → the tenant's RUNNING jobs (the list has no status filter). */
export function parseRunningJobs(body: unknown): UpstreamJob[] {
  const running: UpstreamJob[] = [];
  for (const entry of payloadList(body, 'jobs')) {
    if (entry === null || typeof entry !== 'object') throw new Error('jobs[] must hold objects');
    const job = entry as Record<string, unknown>;
    const status = field(job, 'status');
    if (typeof status === 'string' && status.trim().toUpperCase() === 'RUNNING')
      running.push({ id: jobIdText(field(job, 'id')) ?? '', status: 'running' });
  }
  return running;
}
