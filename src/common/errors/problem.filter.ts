import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from './app-error';
import type { ErrorCode } from './error-codes';
import { PROBLEM_CONTENT_TYPE, ProblemDocument, problemShape, problemType } from './problem';

/**
 * The one place errors become HTTP. AppErrors keep their message; framework errors (unknown
 * route, bad JSON, body too large) are translated to codes; anything else is a 500 whose detail
 * never reveals internals.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const request = ctx.getRequest<FastifyRequest>();
    const reply = ctx.getResponse<FastifyReply>();
    const appError = toAppError(exception);
    if (appError.code === 'INTERNAL') {
      this.logger.error({ err: exception, requestId: request.id }, 'Unhandled error');
    } else if (problemShape(appError.code).status >= 500) {
      // Upstream trouble: worth a line with the request id, without the (already safe) stack.
      this.logger.warn(
        { requestId: request.id, code: appError.code, route: request.routeOptions.url },
        appError.message,
      );
    }
    sendProblem(reply, request, appError);
  }
}

/** Renders an AppError as problem+json on a Fastify reply (also used by Fastify-level hooks). */
export function sendProblem(reply: FastifyReply, request: FastifyRequest, error: AppError): void {
  const { status, title } = problemShape(error.code);
  const body: ProblemDocument = {
    ...(error.extensions ?? {}),
    type: problemType(error.code),
    title,
    status,
    detail: error.message,
    instance: request.url.split('?')[0] ?? request.url,
    requestId: String(request.id),
    code: error.code,
  };
  if (error.errors?.length) body.errors = error.errors;
  // Also here, not only in onRequest: framework errors (bad URL) are answered before it runs.
  reply.header('x-request-id', request.id);
  for (const [name, value] of Object.entries(error.headers ?? {})) reply.header(name, value);
  if (error.retryAfterS !== undefined) reply.header('retry-after', String(error.retryAfterS));
  void reply.status(status).type(PROBLEM_CONTENT_TYPE).send(body);
}

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'MALFORMED_BODY',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_BODY',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_BODY',
  FST_ERR_BAD_URL: 'MALFORMED_REQUEST',
  FST_ERR_MAX_PARAM_LENGTH: 'URI_TOO_LONG',
};

/** Every body this API takes is JSON. */
const UNSUPPORTED_BODY_TYPE =
  'Content-Type of the body is not accepted: send it as application/json';

/** The longest path parameter the router takes (Fastify's maxParamLength). */
export const MAX_PATH_PARAM_LENGTH = 200;

const FASTIFY_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'Request body exceeds the size limit',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: UNSUPPORTED_BODY_TYPE,
  FST_ERR_BAD_URL: 'The request path is not a valid URL (bad percent-encoding)',
  // The router refuses before it knows which parameter: name the limit and what ids look like.
  FST_ERR_MAX_PARAM_LENGTH: `A path parameter (an id in the URL) is longer than ${MAX_PATH_PARAM_LENGTH} characters; ids are UUIDs or numbers`,
};

function httpStatusCode(status: number): ErrorCode {
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 405) return 'NOT_FOUND';
  if (status === 406) return 'NOT_ACCEPTABLE';
  if (status === 409) return 'CONFLICT';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 415) return 'UNSUPPORTED_MEDIA_TYPE';
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 400 && status < 500) return 'MALFORMED_BODY';
  return 'INTERNAL';
}

export function toAppError(exception: unknown): AppError {
  if (exception instanceof AppError) return exception;
  const fastifyCode = (exception as { code?: unknown } | null)?.code;
  if (typeof fastifyCode === 'string' && FASTIFY_CODES[fastifyCode]) {
    const message =
      FASTIFY_MESSAGES[fastifyCode] ??
      `Request body could not be read: ${(exception as Error).message}`;
    return new AppError(FASTIFY_CODES[fastifyCode], message);
  }
  if (exception instanceof SyntaxError) {
    return new AppError('MALFORMED_BODY', 'Request body is not valid JSON');
  }
  if (exception instanceof HttpException && exception.getStatus() === 503) {
    // Terminus reports a failed readiness check this way; keep its per-indicator details.
    return new AppError('SERVICE_UNAVAILABLE', 'A dependency is not ready', {
      extensions: { checks: exception.getResponse() },
    });
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const code = httpStatusCode(status);
    const message =
      status === 404 ? 'No such route' : status === 415 ? UNSUPPORTED_BODY_TYPE : exception.message;
    return new AppError(code, code === 'INTERNAL' ? 'Internal error' : message);
  }
  const status = (exception as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new AppError(httpStatusCode(status), (exception as Error).message);
  }
  return new AppError('INTERNAL', 'An unexpected error occurred; see the logs by requestId');
}
