import { AppError } from '../common/errors/app-error';

/**
 * A request the feed refuses, naming the query option (or path segment) at fault: OData
 * clients show `error.target`, so a Power BI user sees which part of the URL to fix.
 */
export class ODataQueryError extends AppError {
  constructor(
    readonly target: string,
    message: string,
    code: 'VALIDATION_FAILED' | 'NOT_IMPLEMENTED' | 'NOT_FOUND' = 'VALIDATION_FAILED',
  ) {
    super(
      code,
      message,
      code === 'VALIDATION_FAILED' ? { errors: [{ field: target, message }] } : {},
    );
    this.name = 'ODataQueryError';
  }
}

/** A system query option the feed knows of but does not implement: 501, never ignored. */
export function notImplemented(option: string, why: string): ODataQueryError {
  return new ODataQueryError(
    option,
    `${option} is not supported by this feed: ${why}`,
    'NOT_IMPLEMENTED',
  );
}

/** The OData JSON error body (OData JSON Format §21). */
export interface ODataErrorBody {
  error: {
    code: string;
    message: string;
    target?: string;
    details?: { code: string; message: string; target: string }[];
    innererror?: { requestId: string };
  };
}

/** Renders any AppError the feed raises (guards and services included) as an OData error. */
export function odataErrorBody(error: AppError, requestId: string): ODataErrorBody {
  const fields = error.errors ?? [];
  const target =
    error instanceof ODataQueryError
      ? error.target
      : fields.length === 1
        ? fields[0].field
        : undefined;
  // A validation error's own message only lists field names; the field messages say why.
  const message =
    error instanceof ODataQueryError || fields.length === 0
      ? error.message
      : fields.map((f) => `${f.field}: ${f.message}`).join('; ');
  return {
    error: {
      code: error.code,
      message,
      ...(target ? { target } : {}),
      ...(fields.length > 1
        ? {
            details: fields.map((f) => ({ code: error.code, message: f.message, target: f.field })),
          }
        : {}),
      innererror: { requestId },
    },
  };
}
