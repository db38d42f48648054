import { json, type HandlerResult, type SandboxRequest } from '../../sandbox-http';
import type { SandboxState } from '../../sandbox-state';
import { AREA, CLUSTER_ID, TENANT_ID } from '../ic-fixtures';
import { issuerOf } from './claims';
import { oauthError } from './token.handler';

/**
 * `GET /.well-known/openid-configuration`. The sandbox is issuer, auth host and API host at
 * once, so every URL points back at the host the caller used.
 */
export function handleDiscovery(_state: SandboxState, req: SandboxRequest): HandlerResult {
  const issuer = issuerOf(req);
  return json(200, {
    issuer,
    authorization_endpoint: `${issuer}/auth/authorize`,
    token_endpoint: `${issuer}/auth/token`,
    token_endpoint_auth_methods_supported: ['client_secret_basic'],
    token_endpoint_auth_signing_alg_values_supported: ['RS256'],
    end_session_endpoint: `${issuer}/auth/authorize/logout`,
    jwks_uri: `${issuer}/auth/jwks`,
    scopes_supported: ['openid'],
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    request_object_signing_alg_values_supported: ['none'],
    display_values_supported: ['page', 'popup'],
    claim_types_supported: ['normal'],
    code_challenge_methods_supported: ['S256'],
  });
}

/** `GET /auth/jwks`: the public half of the key generated at start. */
export async function handleJwks(state: SandboxState): Promise<HandlerResult> {
  return json(200, await state.incontact.jwt.jwks());
}

/**
 * `GET /.well-known/cxone-configuration?tenantId=`: where the tenant's API lives. An unknown
 * tenant is a 404 here (the real answer is not documented).
 */
export function handleTenantConfig(state: SandboxState, req: SandboxRequest): HandlerResult {
  const tenantId = req.query.get('tenantId');
  if (tenantId === null || tenantId === '')
    return oauthError(400, 'invalid_request', 'tenantId is required');
  if (tenantId !== TENANT_ID)
    return oauthError(404, 'not_found', `Tenant ${tenantId} is not known to this issuer`);
  const host = issuerOf(req);
  const slash = state.incontact.quirks.apiEndpointTrailingSlash ? '/' : '';
  return json(200, {
    private: false,
    ui_endpoint: host,
    auth_endpoint: host,
    api_endpoint: `${host}${slash}`,
    area: AREA,
    cluster: CLUSTER_ID,
    domain: 'niceincontact.com',
    acdDomain: 'nice-incontact.com',
    uhDomain: 'nice-incontact.com',
    tenantId,
    globaldomain: 'niceincontact.com',
  });
}
