import type { ErrorCode } from './error-codes';
import type { FieldError } from './app-error';

/** RFC 9457 problem document as the gateway renders it. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  requestId: string;
  code: ErrorCode;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';
const TYPE_BASE = 'https://cxone-gateway.dev/problems/';

interface ProblemShape {
  status: number;
  title: string;
}

/**
 * Every code's HTTP status and title. An exhaustive switch (no default) so a new code cannot be
 * added without deciding how it looks to callers.
 */
export function problemShape(code: ErrorCode): ProblemShape {
  switch (code) {
    case 'VALIDATION_FAILED':
      return { status: 400, title: 'Invalid request' };
    case 'MALFORMED_BODY':
      return { status: 400, title: 'Malformed request body' };
    case 'MALFORMED_REQUEST':
      return { status: 400, title: 'Malformed request' };
    case 'URI_TOO_LONG':
      return { status: 414, title: 'URI too long' };
    case 'HEADERS_TOO_LARGE':
      return { status: 431, title: 'Request header fields too large' };
    case 'REQUEST_TIMEOUT':
      return { status: 408, title: 'Request timeout' };
    case 'PAYLOAD_TOO_LARGE':
      return { status: 413, title: 'Request body too large' };
    case 'UNSUPPORTED_MEDIA_TYPE':
      return { status: 415, title: 'Unsupported media type' };
    case 'NOT_ACCEPTABLE':
      return { status: 406, title: 'Not acceptable' };
    case 'UNAUTHENTICATED':
      return { status: 401, title: 'Authentication required' };
    case 'FORBIDDEN':
      return { status: 403, title: 'Forbidden' };
    case 'NOT_FOUND':
      return { status: 404, title: 'Not found' };
    case 'CONFLICT':
      return { status: 409, title: 'Conflict' };
    case 'NOT_READY':
      return { status: 409, title: 'Not ready' };
    case 'GONE':
      return { status: 410, title: 'Gone' };
    case 'PRECONDITION_FAILED':
      return { status: 412, title: 'Precondition failed' };
    case 'UNPROCESSABLE':
      return { status: 422, title: 'Unprocessable request' };
    case 'IDEMPOTENCY_MISMATCH':
      return { status: 422, title: 'Idempotency key reused with a different request' };
    case 'UPSTREAM_BAD_REQUEST':
      return { status: 400, title: 'CXone rejected the request' };
    case 'UPSTREAM_NOT_FOUND':
      return { status: 404, title: 'Not found in CXone' };
    case 'UPSTREAM_CONFLICT':
      return { status: 409, title: 'Conflict in CXone' };
    case 'UPSTREAM_AUTH_FAILED':
      return { status: 502, title: 'CXone rejected the gateway credentials' };
    case 'UPSTREAM_ERROR':
      return { status: 502, title: 'CXone error' };
    case 'UPSTREAM_UNAVAILABLE':
      return { status: 503, title: 'CXone unavailable' };
    case 'UPSTREAM_TIMEOUT':
      return { status: 504, title: 'CXone timed out' };
    case 'CIRCUIT_OPEN':
      return { status: 503, title: 'CXone temporarily unavailable (circuit open)' };
    case 'RATE_LIMITED':
      return { status: 429, title: 'Too many requests' };
    case 'SERVICE_UNAVAILABLE':
      return { status: 503, title: 'Service not ready' };
    case 'NOT_IMPLEMENTED':
      return { status: 501, title: 'Not implemented' };
    case 'INTERNAL':
      return { status: 500, title: 'Internal error' };
  }
}

export function problemType(code: ErrorCode): string {
  return TYPE_BASE + code.toLowerCase().replace(/_/g, '-');
}
