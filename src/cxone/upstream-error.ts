import { AppError } from '../common/errors/app-error';
import type { ErrorCode } from '../common/errors/error-codes';
import type { UpstreamOperation } from './cxone.types';

/** How one upstream attempt failed. */
export type AttemptFailureKind = 'http' | 'timeout' | 'network';

/** Outcome label of one attempt, for the `gateway_upstream_calls_total` metric. */
export type AttemptOutcome =
  'ok' | 'http_4xx' | 'http_5xx' | 'rate_limited' | 'timeout' | 'network' | 'circuit_open';

const MAX_MESSAGE_CHARS = 200;

/**
 * One failed upstream attempt, thrown inside the resilience pipeline so the retry policy and the
 * circuit breaker can classify it. It never leaves the client: `toAppError` turns it into the
 * AppError callers see.
 */
export class AttemptFailure extends Error {
  constructor(
    readonly kind: AttemptFailureKind,
    readonly operation: UpstreamOperation,
    readonly detail: {
      status?: number;
      /** CXone's own message (already redacted and truncated). */
      upstreamMessage?: string;
      /** CXone's `CorrelationId` response header, for support requests to NICE. */
      correlationId?: string;
      retryAfterMs?: number;
      /** Network error code (ECONNRESET…) or the timeout in ms, for the message. */
      reason?: string;
    } = {},
  ) {
    super(`${operation} ${kind}${detail.status ? ` ${detail.status}` : ''}`);
    this.name = 'AttemptFailure';
  }

  get status(): number | undefined {
    return this.detail.status;
  }

  /** Transient: worth another attempt when the request is idempotent. */
  get transient(): boolean {
    if (this.kind !== 'http') return true;
    const status = this.status ?? 0;
    return status === 408 || status === 429 || status >= 500;
  }

  /** Says CXone itself is unwell (the circuit breaker counts these; a 4xx is our own fault). */
  get tripsBreaker(): boolean {
    return this.transient && this.status !== 429;
  }

  get outcome(): AttemptOutcome {
    if (this.kind !== 'http') return this.kind;
    const status = this.status ?? 0;
    if (status === 429) return 'rate_limited';
    return status >= 500 ? 'http_5xx' : 'http_4xx';
  }
}

/**
 * Body fields that carry CXone's error text, most specific first: the OAuth description, the
 * spellings of the API families (`errorDescription`, `error_Description`, `Message`), then the
 * bare `error`, then what the seed surface and problem documents use.
 */
const MESSAGE_FIELDS = [
  'error_description',
  'errorDescription',
  'error_Description',
  'message',
  'Message',
  'description',
  'errorMessage',
  'error',
  'detail',
  'title',
];

/**
 * Pulls CXone's human-readable error text out of an answer: the first non-empty message field
 * of a JSON body, else the `icStatusDescription` header (some ACD errors carry their text only
 * there), else the start of a text body.
 */
export function extractUpstreamMessage(
  body: unknown,
  redact: (text: string) => string,
  headers: Record<string, string> = {},
): string | undefined {
  const candidates: unknown[] = [];
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    const record = body as Record<string, unknown>;
    candidates.push(...MESSAGE_FIELDS.map((f) => record[f]));
  }
  candidates.push(headers.icstatusdescription);
  if (typeof body === 'string') candidates.push(body);
  for (const candidate of candidates) {
    if (typeof candidate !== 'string') continue;
    const clean = redact(candidate.replace(/\s+/g, ' ').trim());
    if (clean === '') continue;
    return clean.length > MAX_MESSAGE_CHARS ? `${clean.slice(0, MAX_MESSAGE_CHARS)}…` : clean;
  }
  return undefined;
}

/** The body's `error` when it is a machine code (`invalid_grant`), not a sentence. */
export function extractUpstreamCode(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const error = (body as Record<string, unknown>).error;
  return typeof error === 'string' && /^[A-Za-z][\w.-]{0,63}$/.test(error) ? error : undefined;
}

function httpCode(status: number): ErrorCode {
  if (status === 400) return 'UPSTREAM_BAD_REQUEST';
  if (status === 401 || status === 403) return 'UPSTREAM_AUTH_FAILED';
  if (status === 404) return 'UPSTREAM_NOT_FOUND';
  if (status === 408) return 'UPSTREAM_TIMEOUT';
  if (status === 409) return 'UPSTREAM_CONFLICT';
  // 429 that outlived our retries stays a rate limit: the caller should slow down too.
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 500) return 'UPSTREAM_UNAVAILABLE';
  return 'UPSTREAM_ERROR';
}

function retryAfterS(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : Math.max(1, Math.ceil(ms / 1000));
}

/** Turns the last failed attempt of an operation into the error callers see. */
export function toAppError(failure: AttemptFailure): AppError {
  const { operation, kind, detail } = failure;
  const cause = failure;
  switch (kind) {
    case 'timeout':
      return new AppError(
        'UPSTREAM_TIMEOUT',
        `CXone did not answer ${operation} in time (${detail.reason ?? 'timeout'})`,
        { cause },
      );
    case 'network':
      return new AppError(
        'UPSTREAM_UNAVAILABLE',
        `CXone is unreachable for ${operation} (${detail.reason ?? 'network error'})`,
        { cause },
      );
    case 'http':
      return httpAppError(failure);
  }
}

function httpAppError(failure: AttemptFailure): AppError {
  const { operation, detail } = failure;
  const status = detail.status ?? 0;
  const code = httpCode(status);
  const said = detail.upstreamMessage ? `: ${detail.upstreamMessage}` : '';
  const message =
    code === 'UPSTREAM_AUTH_FAILED'
      ? `CXone rejected our credentials/scopes for ${operation} (HTTP ${status})${said}`
      : `CXone answered ${operation} with HTTP ${status}${said}`;
  return new AppError(code, message, {
    cause: failure,
    retryAfterS: retryAfterS(detail.retryAfterMs),
    extensions: { upstream: upstreamExtension(failure) },
  });
}

/** The fail-fast error when CXone's Retry-After outlasts what the operation has left. */
export function retryAfterTooLongError(failure: AttemptFailure, retryAfterMs: number): AppError {
  const status = failure.status ?? 0;
  const waitS = retryAfterS(retryAfterMs) ?? 1;
  return new AppError(
    status === 429 ? 'RATE_LIMITED' : 'UPSTREAM_UNAVAILABLE',
    `CXone asked to wait ${waitS}s before retrying ${operationLabel(failure)}, longer than the time left for this request`,
    {
      cause: failure,
      retryAfterS: waitS,
      extensions: { upstream: upstreamExtension(failure) },
    },
  );
}

/** What the caller may see of CXone's answer: status, its message, its correlation id. */
function upstreamExtension(failure: AttemptFailure): Record<string, unknown> {
  const { upstreamMessage, correlationId } = failure.detail;
  return {
    status: failure.status ?? 0,
    message: upstreamMessage,
    ...(correlationId !== undefined && { correlationId }),
  };
}

function operationLabel(failure: AttemptFailure): string {
  return failure.status ? `${failure.operation} (HTTP ${failure.status})` : failure.operation;
}

/** Per-code messages a capability puts in place of the client's generic upstream wording. */
export type UpstreamRewording = Partial<Record<ErrorCode, (subject: string) => string>>;

/**
 * Rewords the client's generic upstream errors for one capability, keeping code, details and
 * CXone's own message; other errors pass unchanged.
 */
export function rewordUpstreamError(
  err: unknown,
  rewording: UpstreamRewording,
  subject: string,
): unknown {
  if (!(err instanceof AppError)) return err;
  const message = rewording[err.code]?.(subject);
  if (message === undefined) return err;
  const upstream = (err.extensions?.upstream as { message?: string } | undefined)?.message;
  return new AppError(err.code, upstream ? `${message} (CXone: ${upstream})` : message, {
    cause: err,
    retryAfterS: err.retryAfterS,
    extensions: err.extensions,
  });
}
