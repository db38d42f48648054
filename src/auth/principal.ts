import type { ApiScope } from '../config/app-config.types';

/** Who is calling: the API key's configured name and its scopes. Never the key itself. */
export interface Principal {
  name: string;
  scopes: readonly ApiScope[];
}

/** What the guard leaves on the request for the audit hook and for controllers. */
export interface RequestAuthContext {
  principal?: Principal;
  auditAction?: string;
  auditBodyFields?: string[];
}

declare module 'fastify' {
  interface FastifyRequest {
    cxgw?: RequestAuthContext;
  }
}
