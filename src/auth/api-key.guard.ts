import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../common/errors/app-error';
import type { ApiScope } from '../config/app-config.types';
import { ApiKeyRegistry, extractApiKey } from './api-key.registry';
import { AUDIT_ACTION_KEY, AuditActionMeta, PUBLIC_KEY, SCOPES_KEY } from './scopes.decorator';

/**
 * Global guard: every route needs a valid API key unless marked @Public(); @Scopes() lists what
 * the key must hold. 401 when no or an unknown key is presented, 403 when a scope is missing.
 * It also records the audit action name on the request, since the audit hook runs outside Nest.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly registry: ApiKeyRegistry,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const handler = context.getHandler();
    const controller = context.getClass();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const audit = this.reflector.get<AuditActionMeta | undefined>(AUDIT_ACTION_KEY, handler);
    request.cxgw = {
      auditAction: audit?.action ?? `${controller.name.replace(/Controller$/, '')}.${handler.name}`,
      auditBodyFields: audit?.bodyFields,
    };

    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, [handler, controller])) return true;

    const key = extractApiKey(request.headers);
    if (!key) {
      throw new AppError(
        'UNAUTHENTICATED',
        'An API key is required: send Authorization: Bearer <key> or X-API-Key: <key>',
      );
    }
    const principal = this.registry.resolve(key);
    if (!principal) throw new AppError('UNAUTHENTICATED', 'The API key is not valid');
    request.cxgw.principal = principal;

    const required =
      this.reflector.getAllAndOverride<ApiScope[] | undefined>(SCOPES_KEY, [handler, controller]) ??
      [];
    const missing = required.filter((s) => !principal.scopes.includes(s));
    if (missing.length) {
      throw new AppError(
        'FORBIDDEN',
        `The API key "${principal.name}" lacks the scope ${missing.join(', ')} required here`,
        { extensions: { requiredScopes: required } },
      );
    }
    return true;
  }
}
