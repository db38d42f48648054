import {
  isRecord,
  json,
  parseJson,
  type HandlerResult,
  type SandboxRequest,
} from '../../sandbox-http';
import type { SandboxState } from '../../sandbox-state';
import { REFRESH_TOKEN_TTL_S } from '../ic-state';
import { issueTokenSet } from './claims';
import { accessKeyMatches, oauthError } from './token.handler';

function jsonObject(req: SandboxRequest): Record<string, unknown> | undefined {
  const parsed = parseJson(req.body);
  return parsed.ok && isRecord(parsed.value) ? parsed.value : undefined;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * `POST /authentication/v1/token/access-key` (UserHub, older clients): JSON
 * `{accessKeyId, accessKeySecret}`, no client authentication (a `client_id`/`client_secret` in the
 * body is tolerated and ignored, as one public client sends them). Answers the token fields
 * those clients read.
 */
export async function handleAccessKeyToken(
  state: SandboxState,
  req: SandboxRequest,
): Promise<HandlerResult> {
  const body = jsonObject(req);
  if (!body) return oauthError(400, 'invalid_request', 'Body must be a JSON object');
  const id = text(body.accessKeyId);
  const secret = text(body.accessKeySecret);
  if (id === '' || secret === '')
    return oauthError(400, 'invalid_request', 'accessKeyId and accessKeySecret are required');
  if (!accessKeyMatches(state, id, secret))
    return oauthError(401, 'invalid_grant', 'The access key is invalid or has been revoked');
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
    { 'Cache-Control': 'no-store' },
  );
}

/**
 * `POST /public/user/refresh` (UserHub): JSON `{token: <refresh token>}` →
 * `{token, refreshToken, tokenExpirationTimeSec, refreshTokenExpirationTimeSec}`. The refresh
 * token is single-use: the answer carries its successor.
 */
export async function handleUserRefresh(
  state: SandboxState,
  req: SandboxRequest,
): Promise<HandlerResult> {
  const body = jsonObject(req);
  const refresh = text(body?.token);
  if (refresh === '') return oauthError(400, 'invalid_request', 'token is required');
  if (!state.incontact.refreshTokens.isValid(refresh))
    return oauthError(401, 'invalid_grant', 'The refresh token is invalid or expired');
  state.incontact.refreshTokens.revoke(refresh);
  const tokens = await issueTokenSet(state, req);
  return json(
    200,
    {
      token: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      tokenExpirationTimeSec: tokens.expiresIn,
      refreshTokenExpirationTimeSec: REFRESH_TOKEN_TTL_S,
    },
    { 'Cache-Control': 'no-store' },
  );
}
