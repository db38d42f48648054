import type { ErrorCode } from './error-codes';

/**
 * Most field errors a problem lists; `errorCount` says how many there were. Without a cap, one
 * 180 KB body of bad array elements answered with a 15 MB error list.
 */
export const MAX_LISTED_ERRORS = 20;

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
    this.errors = options.errors?.slice(0, MAX_LISTED_ERRORS);
    this.retryAfterS = options.retryAfterS;
    this.headers = options.headers;
    // A re-thrown error keeps the count of the list it was cut from.
    const counted = options.extensions?.errorCount;
    this.extensions = options.errors?.length
      ? {
          ...options.extensions,
          errorCount: typeof counted === 'number' ? counted : options.errors.length,
        }
      : options.extensions;
  }

  static validation(errors: FieldError[]): AppError {
    const listed = errors.slice(0, MAX_LISTED_ERRORS).map((e) => e.field);
    const more =
      errors.length > MAX_LISTED_ERRORS ? ` and ${errors.length - MAX_LISTED_ERRORS} more` : '';
    const fields = listed.join(', ') + more;
    return new AppError('VALIDATION_FAILED', `Invalid request: ${fields}`, { errors });
  }

  static field(field: string, message: string): AppError {
    return AppError.validation([{ field, message }]);
  }
}
