/**
 * Reads the claims of a CXone JWT without verifying its signature.
 *
 * Why no verification: the gateway only uses the claims to learn which tenant its own token
 * belongs to (to discover the tenant's API host). The token came straight from the issuer's
 * token endpoint, over TLS, in answer to our own credentials; anyone able to forge it could as
 * well forge the token response itself. CXone verifies the signature on every API call, which
 * is where it matters. (Verifying against the issuer's JWKS would add a call and a key cache
 * for no protection the gateway needs.)
 */
export function decodeJwtClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[1] === '') return undefined;
  try {
    const json = Buffer.from(parts[1], 'base64url').toString('utf8');
    const claims: unknown = JSON.parse(json);
    if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) return undefined;
    return claims as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/**
 * The tenant id of a token response: the `tenantId` claim of the id_token, else of the access
 * token (both carry it; the id_token is the documented home of tenant and user claims).
 */
export function tenantIdOf(tokens: { idToken?: string; accessToken: string }): string | undefined {
  for (const token of [tokens.idToken, tokens.accessToken]) {
    if (!token) continue;
    const tenantId = decodeJwtClaims(token)?.tenantId;
    if (typeof tenantId === 'string' && tenantId.trim() !== '') return tenantId.trim();
  }
  return undefined;
}
