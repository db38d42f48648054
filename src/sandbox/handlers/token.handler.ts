import { timingSafeEqual } from 'node:crypto';
import {
  failure,
  json,
  isRecord,
  parseJson,
  type HandlerResult,
  type SandboxRequest,
} from '../sandbox-http';
import type { SandboxState } from '../sandbox-state';

/** Scope granted when the client asks for none: everything the seeds use. */
export const DEFAULT_TOKEN_SCOPE =
  'read:agent read:reporting reports:view analytics:read analytics:export:read analytics:export:write user:read user:status:read user:status:write';

export interface ClientCredentials {
  clientId?: string;
  clientSecret?: string;
}

/** Form body by default (the seeds); a JSON body is tolerated because some clients send one. */
function parseTokenBody(req: SandboxRequest): Record<string, string> | undefined {
  const type = String(req.headers['content-type'] ?? '');
  if (!type.includes('json'))
    return Object.fromEntries(new URLSearchParams(req.body.toString('utf8')));
  const parsed = parseJson(req.body);
  if (!parsed.ok || !isRecord(parsed.value)) return undefined;
  return Object.fromEntries(
    Object.entries(parsed.value).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
}

/** HTTP Basic per RFC 6749 §2.3.1: id and secret may be form-url-encoded before base64. */
export function basicCredentials(header: string | undefined): ClientCredentials {
  if (!header?.startsWith('Basic ')) return {};
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return {};
  const unescape = (s: string): string => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return s;
    }
  };
  return {
    clientId: unescape(decoded.slice(0, colon)),
    clientSecret: unescape(decoded.slice(colon + 1)),
  };
}

/** Constant-time comparison, so a sandbox never teaches a timing oracle to the code under test. */
export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function handleToken(state: SandboxState, req: SandboxRequest): HandlerResult {
  const form = parseTokenBody(req);
  if (!form)
    return failure(400, 'invalid_request', 'Body must be application/x-www-form-urlencoded');
  if (form.grant_type !== 'client_credentials')
    return failure(400, 'unsupported_grant_type', 'grant_type must be client_credentials');
  const basic = basicCredentials(req.headers.authorization);
  const clientId = form.client_id ?? basic.clientId;
  const clientSecret = form.client_secret ?? basic.clientSecret;
  const { options } = state;
  const valid =
    clientId === options.clientId &&
    clientSecret !== undefined &&
    sameSecret(clientSecret, options.clientSecret);
  if (!valid) return failure(401, 'invalid_client', 'Client authentication failed');
  return json(
    200,
    {
      access_token: state.tokens.issue(options.tokenTtlS),
      token_type: 'Bearer',
      expires_in: options.tokenTtlS,
      scope: form.scope ?? DEFAULT_TOKEN_SCOPE,
    },
    { 'Cache-Control': 'no-store' },
  );
}
