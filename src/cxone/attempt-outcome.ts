import type { LimitSample } from './adaptive-limit';
import type { UpstreamOperation } from './cxone.types';
import { AttemptFailure } from './upstream-error';

/**
 * Export job calls have their own pacing (the export slot gate, the Data Extraction pacer) and
 * CXone throttles them per endpoint (one job create per 30 s on Data Extraction): their 429 or
 * 503 says nothing about the tenant's REST limit and must not hold every other call.
 */
const PER_ENDPOINT_THROTTLED: ReadonlySet<UpstreamOperation> = new Set([
  'exportCreate',
  'exportList',
  'exportGet',
  'exportDownload',
]);

/** What one attempt says about load: 429/503/timeout are overload, other failures say nothing. */
export function sampleOf(
  err: unknown,
  started: number,
  now: number,
  inFlight: number,
): LimitSample {
  const base = { at: now, latencyMs: now - started, inFlight };
  if (err === undefined) return { ...base, outcome: 'ok' };
  if (!(err instanceof AttemptFailure) || PER_ENDPOINT_THROTTLED.has(err.operation)) {
    return { ...base, outcome: 'ignored' };
  }
  const retryAfterMs = err.detail.retryAfterMs;
  if (err.kind === 'timeout') return { ...base, outcome: 'overload' };
  if (err.kind === 'http' && (err.status === 429 || err.status === 503)) {
    return { ...base, outcome: 'overload', status: err.status, retryAfterMs };
  }
  return { ...base, outcome: 'ignored', retryAfterMs };
}

/** CXone took the call (whatever it answered but a 429): it counts towards the tenant's rate. */
export function acceptedBy(err: unknown): boolean {
  if (err === undefined) return true;
  return err instanceof AttemptFailure && err.kind === 'http' && err.status !== 429;
}
