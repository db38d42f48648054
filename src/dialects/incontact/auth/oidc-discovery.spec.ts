import { readApiEndpoint, readTokenEndpoint } from './oidc-discovery';

const ISSUER = 'https://cxone.niceincontact.com';

/** The discovery document's shape (token URLs on the issuer host). */
const OPENID_CONFIGURATION = {
  issuer: ISSUER,
  authorization_endpoint: `${ISSUER}/auth/authorize`,
  token_endpoint: `${ISSUER}/auth/token`,
  token_endpoint_auth_methods_supported: ['client_secret_basic'],
  jwks_uri: `${ISSUER}/auth/jwks`,
  scopes_supported: ['openid'],
};

/** The tenant discovery document (illustrative values). */
const CXONE_CONFIGURATION = {
  private: false,
  ui_endpoint: 'https://na1.nice-incontact.com',
  auth_endpoint: 'https://na1.nice-incontact.com',
  api_endpoint: 'https://api-na1.niceincontact.com/',
  area: 'na1',
  cluster: 'C32',
  domain: 'niceincontact.com',
  acdDomain: 'nice-incontact.com',
  uhDomain: 'nice-incontact.com',
  tenantId: '11e85da0-f32c-7e10-898c-0242ac110003',
};

describe('readTokenEndpoint', () => {
  it('takes token_endpoint', () => {
    expect(readTokenEndpoint(OPENID_CONFIGURATION, ISSUER)).toBe(`${ISSUER}/auth/token`);
  });

  it.each([
    [null, 'openid-configuration'],
    ['No known way to render data', 'openid-configuration'],
    [{ ...OPENID_CONFIGURATION, token_endpoint: undefined }, 'token_endpoint'],
    [{ ...OPENID_CONFIGURATION, token_endpoint: '/auth/token' }, 'token_endpoint'],
    [{ ...OPENID_CONFIGURATION, token_endpoint: 'http://cxone.example/auth/token' }, 'https'],
  ])('rejects %j naming %s', (body, field) => {
    expect(() => readTokenEndpoint(body, ISSUER)).toThrow(field);
  });

  it('accepts plain http only from a plain-http issuer (the sandbox)', () => {
    const doc = { token_endpoint: 'http://127.0.0.1:4010/auth/token' };
    expect(readTokenEndpoint(doc, 'http://127.0.0.1:4010')).toBe(doc.token_endpoint);
  });
});

describe('readApiEndpoint', () => {
  it('takes api_endpoint without its trailing slash', () => {
    expect(readApiEndpoint(CXONE_CONFIGURATION, ISSUER)).toBe('https://api-na1.niceincontact.com');
  });

  it('builds https://api-{area}.{domain} when api_endpoint is missing', () => {
    const { api_endpoint: _, ...rest } = CXONE_CONFIGURATION;
    expect(readApiEndpoint(rest, ISSUER)).toBe('https://api-na1.niceincontact.com');
  });

  it.each([
    [{}, 'api_endpoint'],
    [{ api_endpoint: 'ftp://api-na1.niceincontact.com' }, 'https'],
    [[CXONE_CONFIGURATION], 'cxone-configuration'],
  ])('rejects %j naming %s', (body, field) => {
    expect(() => readApiEndpoint(body, ISSUER)).toThrow(field);
  });
});
