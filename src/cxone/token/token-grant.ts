import type { HttpResult } from '../cxone-http';

/** What a grant obtained: the bearer token and, where the dialect discovers it, where to use it. */
export interface GrantedToken {
  accessToken: string;
  /** Lifetime in seconds, as the token endpoint said. */
  expiresInS: number;
  /** The API host the token is for (incontact: the tenant's discovered `api_endpoint`). */
  apiBaseUrl?: string;
  /** The tenant the token belongs to (incontact: from the token's claims). */
  tenantId?: string;
}

/** One HTTP exchange a grant needs (discovery, the token request). */
export interface GrantRequest {
  /** Names the step in errors and logs, e.g. "token endpoint", "OIDC discovery". */
  step: string;
  method: 'GET' | 'POST';
  url: string;
  query?: Record<string, string>;
  /** Sent as application/x-www-form-urlencoded. */
  form?: URLSearchParams;
  headers?: Record<string, string>;
}

/**
 * The transport the token provider lends a grant: `Accept: application/json`, the per-call
 * timeout and the token metrics are applied; a network failure or timeout is thrown as an
 * UPSTREAM_UNAVAILABLE AppError naming the step. Any HTTP status is returned, not thrown.
 */
export interface GrantHttp {
  send(request: GrantRequest): Promise<HttpResult>;
}

/**
 * How a dialect obtains a CXone access token: what is requested, how, and what comes back. The
 * provider around it owns caching, early refresh, single-flight and cross-replica sharing.
 */
export interface TokenGrant {
  /** Short, stable name (`v2`, `incontact`): logs and the shared-token Redis key. */
  readonly name: string;
  /** Replace a token this long before it expires at the latest (capped at 10 % of its life). */
  readonly refreshMarginMs: number;
  /**
   * Requests a fresh token. Throws AppError: UPSTREAM_AUTH_FAILED when CXone rejects a
   * credential (the message says which), UPSTREAM_UNAVAILABLE when it is unreachable or
   * failing, UPSTREAM_ERROR when it answers something unusable.
   */
  request(http: GrantHttp): Promise<GrantedToken>;
}

/** Injection token of the dialect's TokenGrant (bound by the dialect module). */
export const TOKEN_GRANT = Symbol('TOKEN_GRANT');
