import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toAppError } from '../common/errors/problem.filter';
import { problemShape } from '../common/errors/problem';
import { odataErrorBody } from './odata-errors';

export const ODATA_VERSION_HEADER = { 'odata-version': '4.0' };

/**
 * The feed's errors in the OData JSON error format instead of problem+json (OData clients read
 * `error.message` and `error.target`), with the same statuses and headers — 401 keeps its
 * `WWW-Authenticate: Basic` challenge, so Excel and Power BI prompt for the key.
 */
@Catch()
export class ODataErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('OData');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const request = ctx.getRequest<FastifyRequest>();
    const reply = ctx.getResponse<FastifyReply>();
    const error = toAppError(exception);
    const { status } = problemShape(error.code);
    if (error.code === 'INTERNAL') {
      this.logger.error({ err: exception, requestId: request.id }, 'Unhandled error');
    }
    reply.header('x-request-id', request.id);
    for (const [name, value] of Object.entries(error.headers ?? {})) reply.header(name, value);
    if (error.retryAfterS !== undefined) reply.header('retry-after', String(error.retryAfterS));
    void reply
      .status(status)
      .headers(ODATA_VERSION_HEADER)
      .type('application/json; charset=utf-8')
      .send(odataErrorBody(error, String(request.id)));
  }
}
