import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { ApiScope } from '../config/app-config.types';
import { ApiKeyRegistry } from './api-key.registry';
import { RateLimiter } from './rate-limit/rate-limiter';
import { UPSTREAM_COST_KEY, UpstreamCost } from './rate-limit/request-cost';
import { authorizeRequest, RouteAccessMeta } from './route-authorizer';
import { AUDIT_ACTION_KEY, AuditActionMeta, PUBLIC_KEY, SCOPES_KEY } from './scopes.decorator';

/** A controller method or class, as Nest hands them to guards and the Reflector reads them. */
export type DecoratedTarget = Parameters<Reflector['get']>[1];

/**
 * Global guard: every route needs a valid API key unless marked @Public(); @Scopes() lists what
 * the key must hold. 401 when no or an unknown key is presented, 403 when a scope is missing.
 * It also records the audit action name on the request, since the audit hook runs outside Nest.
 * Then the key's rate limits apply (429 beyond them, see RateLimiter).
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly registry: ApiKeyRegistry,
    private readonly limiter: RateLimiter,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const access = this.accessOf(context.getHandler(), context.getClass());
    const principal = authorizeRequest(request, access, this.registry);
    if (!principal) return true;
    const limited = this.limiter.enforce(request, access, principal);
    return limited ? limited.then(() => true) : true;
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
      upstream: this.reflector.get<UpstreamCost | undefined>(UPSTREAM_COST_KEY, handler),
    };
  }
}
