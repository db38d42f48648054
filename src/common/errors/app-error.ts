import type { ErrorCode } from './error-codes';

/** One invalid input field, as listed in a problem document's `errors`. */
export interface FieldError {
  field: string;
  message: string;
}

export interface AppErrorOptions {
  /** Invalid fields, for VALIDATION_FAILED. */
  errors?: FieldError[];
  /** Seconds the caller should wait before retrying (becomes a Retry-After header). */
  retryAfterS?: number;
  /** Extra headers for the response, e.g. which export windows are missing. */
  headers?: Record<string, string>;
  /** Extra problem members (kept small; never secrets). */
  extensions?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * The one error type services throw. It carries a code from the catalogue and a message that is
 * safe to show to the caller; the problem filter turns it into application/problem+json.
 */
export class AppError extends Error {
  readonly errors?: FieldError[];
  readonly retryAfterS?: number;
  readonly headers?: Record<string, string>;
  readonly extensions?: Record<string, unknown>;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.errors = options.errors;
    this.retryAfterS = options.retryAfterS;
    this.headers = options.headers;
    this.extensions = options.extensions;
  }

  static validation(errors: FieldError[]): AppError {
    const fields = errors.map((e) => e.field).join(', ');
    return new AppError('VALIDATION_FAILED', `Invalid request: ${fields}`, { errors });
  }

  static field(field: string, message: string): AppError {
    return AppError.validation([{ field, message }]);
  }
}
