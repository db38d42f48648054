import { decodeJwtClaims, tenantIdOf } from './jwt-claims';

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (claims: unknown): string => `${b64({ alg: 'RS256', kid: 'k1' })}.${b64(claims)}.c2ln`;

/** The claims of a decoded CXone id_token, as a public client's test fixture shows them. */
const ID_TOKEN_CLAIMS = {
  iss: 'https://cxone.niceincontact.com',
  tenantId: '11e85da0-f32c-7e10-898c-0242ac110003',
  tenant: 'acme',
  icBUId: 4599570,
  icClusterId: 'C32',
  area: 'uk1',
  icAgentId: '1234567',
  sub: 'user:11ee2c3a-9f6b-4b2a-8d0f-0242ac110002',
  iat: 1714572000,
  exp: 1714575600,
};

describe('decodeJwtClaims', () => {
  it('reads the payload of a signed JWT (base64url, no padding)', () => {
    expect(decodeJwtClaims(jwt(ID_TOKEN_CLAIMS))).toEqual(ID_TOKEN_CLAIMS);
  });

  it.each([
    ['not a token'],
    ['a.b'],
    ['a..c'],
    [`${b64({})}.${Buffer.from('{not json').toString('base64url')}.x`],
    [`${b64({})}.${b64(['array'])}.x`],
    [`${b64({})}.${b64('string')}.x`],
  ])('returns undefined for %s', (token) => {
    expect(decodeJwtClaims(token)).toBeUndefined();
  });
});

describe('tenantIdOf', () => {
  it('prefers the id_token, falls back to the access token', () => {
    const access = jwt({ tenantId: 'from-access' });
    expect(tenantIdOf({ idToken: jwt(ID_TOKEN_CLAIMS), accessToken: access })).toBe(
      ID_TOKEN_CLAIMS.tenantId,
    );
    expect(tenantIdOf({ idToken: jwt({ sub: 'x' }), accessToken: access })).toBe('from-access');
    expect(tenantIdOf({ accessToken: access })).toBe('from-access');
  });

  it('is undefined when no token carries a tenantId', () => {
    expect(tenantIdOf({ accessToken: 'opaque-token' })).toBeUndefined();
    expect(tenantIdOf({ accessToken: jwt({ tenantId: '' }) })).toBeUndefined();
    expect(tenantIdOf({ accessToken: jwt({ tenantId: 42 }) })).toBeUndefined();
  });
});
