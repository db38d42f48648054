import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../common/errors/app-error';
import type { Principal } from './principal';

/**
 * The authenticated caller of the current request, as the API-key guard left it. Only on routes
 * that need a key: on a public route there is no principal, and asking for one is a 401.
 */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): Principal => {
    const principal = ctx.switchToHttp().getRequest<FastifyRequest>().cxgw?.principal;
    if (!principal) throw new AppError('UNAUTHENTICATED', 'An API key is required');
    return principal;
  },
);
