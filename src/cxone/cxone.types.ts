import type { Readable } from 'node:stream';

/**
 * Upstream operation names. Each names the call in errors, metrics, logs and picks its circuit
 * breaker group; keep them stable (dashboards use them).
 */
export type UpstreamOperation =
  | 'token'
  | 'agentHistory'
  | 'queueStats'
  | 'analyticsQuery'
  | 'exportCreate'
  | 'exportList'
  | 'exportGet'
  | 'exportDownload'
  | 'userGet'
  | 'userStatus'
  /** Readiness's cheap authenticated call (src/cxone/readiness). */
  | 'readinessProbe';

export interface UpstreamRequest {
  operation: UpstreamOperation;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path below CXONE_API_BASE_URL, e.g. `/api/v2/reporting/queues/stats`. */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /**
   * Whether a retry after the request may have reached CXone is safe. Defaults to true for GET,
   * false otherwise (a PUT with an idempotency key passes true).
   */
  idempotent?: boolean;
  /** Overrides the total deadline for this operation (all attempts included). */
  deadlineMs?: number;
  /** Cancels the whole operation (e.g. an export was cancelled). */
  signal?: AbortSignal;
  /**
   * The bounds of the request this call belongs to (e.g. one page of a long history): each call
   * is counted against it, and its signal cancels the call unless `signal` is given.
   */
  budget?: UpstreamCallBudget;
  headers?: Record<string, string>;
}

/** Counts the calls of one logical operation and stops them (see OperationBudget). */
export interface UpstreamCallBudget {
  readonly signal: AbortSignal;
  /** Throws (an AppError) instead of allowing one more call. */
  spend(): void;
}

export interface UpstreamResponse<T> {
  status: number;
  data: T;
  headers: Record<string, string>;
  /** Upstream HTTP attempts this operation used (retries and the 401 refresh included). */
  attempts: number;
}

export interface UpstreamStreamResponse {
  status: number;
  stream: Readable;
  headers: Record<string, string>;
}

/** Checks an upstream JSON body before use; throws (any error) when the shape is wrong. */
export type ResponseValidator<T> = (data: unknown) => T;
