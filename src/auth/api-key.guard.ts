import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { ApiScope } from '../config/app-config.types';
import { ApiKeyRegistry } from './api-key.registry';
import { authorizeRequest, RouteAccessMeta } from './route-authorizer';
import { AUDIT_ACTION_KEY, AuditActionMeta, PUBLIC_KEY, SCOPES_KEY } from './scopes.decorator';

/** A controller method or class, as Nest hands them to guards and the Reflector reads them. */
export type DecoratedTarget = Parameters<Reflector['get']>[1];

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
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    authorizeRequest(
      request,
      this.accessOf(context.getHandler(), context.getClass()),
      this.registry,
    );
    return true;
  }

  /** The route's declared access, from its decorators. */
  accessOf(handler: DecoratedTarget, controller: DecoratedTarget): RouteAccessMeta {
    const audit = this.reflector.get<AuditActionMeta | undefined>(AUDIT_ACTION_KEY, handler);
    return {
      isPublic:
        this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, [handler, controller]) ?? false,
      scopes:
        this.reflector.getAllAndOverride<ApiScope[] | undefined>(SCOPES_KEY, [
          handler,
          controller,
        ]) ?? [],
      auditAction: audit?.action ?? `${controller.name.replace(/Controller$/, '')}.${handler.name}`,
      auditBodyFields: audit?.bodyFields,
    };
  }
}
