/**
 * The two discovery documents of the inContact dialect, checked before use: the issuer's OIDC
 * configuration (where to ask for tokens) and the tenant's CXone configuration (which regional
 * host serves its API). Each reader throws an Error naming the bad field.
 */

function record(body: unknown, what: string): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new Error(`${what} must be a JSON object`);
  }
  return body as Record<string, unknown>;
}

/**
 * An absolute URL the gateway may send credentials or a bearer token to: https, or http only
 * when the issuer itself is plain http (the embedded sandbox, tests).
 */
function safeUrl(value: unknown, field: string, issuer: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new Error(`${field} must be a non-empty string`);
  }
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new Error(`${field} must be an absolute URL`);
  }
  const allowHttp = issuer.startsWith('http://');
  if (url.protocol !== 'https:' && !(allowHttp && url.protocol === 'http:')) {
    throw new Error(`${field} must be an https URL`);
  }
  return value.trim().replace(/\/+$/, '');
}

/** `token_endpoint` of `{issuer}/.well-known/openid-configuration`. */
export function readTokenEndpoint(body: unknown, issuer: string): string {
  return safeUrl(record(body, 'openid-configuration').token_endpoint, 'token_endpoint', issuer);
}

/**
 * The tenant's API host from `{issuer}/.well-known/cxone-configuration`: `api_endpoint` without
 * trailing slashes, else `https://api-{area}.{domain}` (the form NICE's own SDK builds).
 */
export function readApiEndpoint(body: unknown, issuer: string): string {
  const config = record(body, 'cxone-configuration');
  const { api_endpoint: apiEndpoint, area, domain } = config;
  const present = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
  if (!present(apiEndpoint) && present(area) && present(domain)) {
    return safeUrl(`https://api-${area.trim()}.${domain.trim()}`, 'api_endpoint', issuer);
  }
  return safeUrl(apiEndpoint, 'api_endpoint', issuer);
}

export const OIDC_DISCOVERY_PATH = '/.well-known/openid-configuration';
export const TENANT_DISCOVERY_PATH = '/.well-known/cxone-configuration';
