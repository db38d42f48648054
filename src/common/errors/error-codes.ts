/**
 * The catalogue of error codes the gateway can answer with. Services throw `AppError(code, …)`;
 * the problem filter maps each code to an HTTP status and title with an exhaustive switch.
 */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'MALFORMED_BODY'
  | 'MALFORMED_REQUEST'
  | 'URI_TOO_LONG'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'NOT_ACCEPTABLE'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'NOT_READY'
  | 'GONE'
  | 'PRECONDITION_FAILED'
  | 'UNPROCESSABLE'
  | 'IDEMPOTENCY_MISMATCH'
  | 'UPSTREAM_BAD_REQUEST'
  | 'UPSTREAM_NOT_FOUND'
  | 'UPSTREAM_CONFLICT'
  | 'UPSTREAM_AUTH_FAILED'
  | 'UPSTREAM_ERROR'
  | 'UPSTREAM_UNAVAILABLE'
  | 'UPSTREAM_TIMEOUT'
  | 'CIRCUIT_OPEN'
  | 'RATE_LIMITED'
  | 'SERVICE_UNAVAILABLE'
  | 'NOT_IMPLEMENTED'
  | 'INTERNAL';
