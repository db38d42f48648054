import { AppError } from '../../common/errors/app-error';
import type { HttpResult } from '../cxone-http';
import { extractUpstreamCode, extractUpstreamMessage } from '../upstream-error';

/** The fields of an OAuth token response the gateway uses. */
export interface TokenBody {
  accessToken: string;
  expiresInS: number;
  idToken?: string;
}

/** Lifetime assumed when `expires_in` is absent (optional in RFC 6749; CXone tokens live 1 h). */
const DEFAULT_EXPIRES_IN_S = 3600;

/** Reads `{access_token, expires_in, id_token}`; undefined when the body is not a usable token. */
export function parseTokenBody(body: unknown): TokenBody | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const record = body as Record<string, unknown>;
  const token = record.access_token;
  if (typeof token !== 'string' || token === '') return undefined;
  // Some endpoints send expires_in as a numeric string; Number() reads both.
  const raw = record.expires_in;
  const expiresInS = raw === undefined || raw === null ? DEFAULT_EXPIRES_IN_S : Number(raw);
  if (typeof raw === 'boolean' || !Number.isFinite(expiresInS) || expiresInS <= 0) return undefined;
  const idToken =
    typeof record.id_token === 'string' && record.id_token ? record.id_token : undefined;
  return { accessToken: token, expiresInS, idToken };
}

/** A non-2xx token answer, reduced to what decides the error: status, OAuth code, message. */
export interface TokenFailure {
  status: number;
  /** The OAuth `error` code when it looks like one (`invalid_grant`). */
  error?: string;
  /** CXone's own text (redacted, shortened). */
  message?: string;
  correlationId?: string;
}

export function readTokenFailure(res: HttpResult, redact: (s: string) => string): TokenFailure {
  return {
    status: res.status,
    error: extractUpstreamCode(res.body),
    message: extractUpstreamMessage(res.body, redact, res.headers),
    correlationId: res.headers.correlationid,
  };
}

/**
 * Turns a failed token answer into the AppError callers (and readiness) see. `rejected` names
 * the credential CXone refused, or returns undefined when the failure is not a rejection.
 */
export function tokenFailureError(
  failure: TokenFailure,
  rejected: (failure: TokenFailure) => string | undefined,
): AppError {
  const { status, message, error, correlationId } = failure;
  const upstream = { status, message, error, correlationId };
  const detail = `(HTTP ${status}${message ? `: ${message}` : ''})`;
  const credential = rejected(failure);
  if (credential !== undefined) {
    return new AppError('UPSTREAM_AUTH_FAILED', `${credential} ${detail}`, {
      extensions: { upstream },
    });
  }
  const transient = status === 429 || status >= 500;
  return new AppError(
    transient ? 'UPSTREAM_UNAVAILABLE' : 'UPSTREAM_ERROR',
    `CXone token endpoint failed ${detail}`,
    { extensions: { upstream } },
  );
}

/** The error for a 2xx token answer that carries no usable token. */
export function badTokenBody(): AppError {
  return new AppError('UPSTREAM_ERROR', 'unexpected response shape from CXone for token');
}
