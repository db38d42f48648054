import { basicCredentials, sameSecret } from '../../handlers/token.handler';
import { json, type HandlerResult, type JsonResult, type SandboxRequest } from '../../sandbox-http';
import type { SandboxState } from '../../sandbox-state';
import { issueTokenSet } from './claims';

/** OAuth errors as the CXone token endpoint writes them: `{error, error_description}`. */
export function oauthError(status: number, error: string, description: string): JsonResult {
  const result = json(status, { error, error_description: description });
  if (status === 401) result.headers = { 'WWW-Authenticate': 'Basic realm="cxone"' };
  return result;
}

/**
 * Client authentication per the registration's method (`tokenAuth`): HTTP Basic, the
 * `client_id`/`client_secret` form fields (client_secret_post), or either. A client using the
 * other method than the registered one is an unknown client, as with a real registration.
 */
function clientAuthenticated(state: SandboxState, req: SandboxRequest, form: URLSearchParams) {
  const method = state.incontact.quirks.tokenAuth;
  const basic = method === 'body' ? {} : basicCredentials(req.headers.authorization);
  const id =
    basic.clientId ?? (method === 'basic' ? undefined : (form.get('client_id') ?? undefined));
  const secret =
    basic.clientSecret ??
    (method === 'basic' ? undefined : (form.get('client_secret') ?? undefined));
  const { clientId, clientSecret } = state.options;
  return id === clientId && secret !== undefined && sameSecret(secret, clientSecret);
}

function accessKeyMatches(state: SandboxState, id: string, secret: string): boolean {
  return id === state.options.accessKeyId && sameSecret(secret, state.options.accessKeySecret);
}

async function granted(state: SandboxState, req: SandboxRequest): Promise<HandlerResult> {
  const tokens = await issueTokenSet(state, req);
  return json(
    200,
    {
      access_token: tokens.accessToken,
      token_type: 'Bearer',
      expires_in: tokens.expiresIn,
      refresh_token: tokens.refreshToken,
      id_token: tokens.idToken,
    },
    { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
  );
}

/**
 * `POST /auth/token`: the password grant with an employee access key (username = key id,
 * password = key secret), and the refresh-token grant. `client_credentials` is not a grant the
 * real endpoint declares, so it is `unsupported_grant_type` like any other.
 */
export async function handleIcToken(
  state: SandboxState,
  req: SandboxRequest,
): Promise<HandlerResult> {
  const type = String(req.headers['content-type'] ?? '');
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded'))
    return oauthError(
      400,
      'invalid_request',
      'Content-Type must be application/x-www-form-urlencoded',
    );
  const form = new URLSearchParams(req.body.toString('utf8'));
  const grant = form.get('grant_type');
  if (grant === null || grant === '')
    return oauthError(400, 'invalid_request', 'grant_type is required');
  if (grant !== 'password' && grant !== 'refresh_token')
    return oauthError(400, 'unsupported_grant_type', `grant_type ${grant} is not supported`);
  if (!clientAuthenticated(state, req, form))
    return oauthError(401, 'invalid_client', 'Client authentication failed');
  if (grant === 'refresh_token') {
    const refresh = form.get('refresh_token') ?? '';
    if (refresh === '') return oauthError(400, 'invalid_request', 'refresh_token is required');
    if (!state.incontact.refreshTokens.isValid(refresh))
      return oauthError(400, 'invalid_grant', 'The refresh token is invalid or expired');
    state.incontact.refreshTokens.revoke(refresh);
    return granted(state, req);
  }
  const username = form.get('username');
  const password = form.get('password');
  if (!username || !password)
    return oauthError(400, 'invalid_request', 'username and password are required');
  if (!accessKeyMatches(state, username, password))
    return oauthError(401, 'invalid_grant', 'The access key is invalid or has been revoked');
  return granted(state, req);
}

export { accessKeyMatches };
