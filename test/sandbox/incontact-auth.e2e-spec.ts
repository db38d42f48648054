import { createPublicKey, createVerify, type JsonWebKey } from 'node:crypto';
import type { Json } from './sandbox-http.helpers';
import { claimsOf, startIncontactUnderTest, type IncontactUnderTest } from './incontact.helpers';

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

describe('inContact sandbox: authentication as real clients do it', () => {
  let sut: IncontactUnderTest;
  let url: string;
  let creds: {
    clientId: string;
    clientSecret: string;
    accessKeyId: string;
    accessKeySecret: string;
  };
  const basic = (id: string, secret: string): string =>
    `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
  const tokenCall = (body: string | URLSearchParams, headers: Record<string, string>) =>
    fetch(`${url}/auth/token`, { method: 'POST', headers: { ...FORM, ...headers }, body });
  const password = (): URLSearchParams =>
    new URLSearchParams({
      grant_type: 'password',
      username: creds.accessKeyId,
      password: creds.accessKeySecret,
    });

  beforeAll(async () => {
    sut = await startIncontactUnderTest();
    url = sut.sandbox.url;
    creds = sut.sandbox.fixtures.incontact.credentials;
  });
  afterAll(() => sut.sandbox.close());
  beforeEach(() => sut.reset());

  it('discovery names the token endpoint and the JWKS on the issuer host', async () => {
    const response = await fetch(`${url}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    const body: Json = await response.json();
    expect(body).toMatchObject({
      issuer: url,
      token_endpoint: `${url}/auth/token`,
      jwks_uri: `${url}/auth/jwks`,
      token_endpoint_auth_methods_supported: ['client_secret_basic'],
      id_token_signing_alg_values_supported: ['RS256'],
    });
  });

  it('grants a password grant with Basic client auth; the RS256 token verifies against the JWKS', async () => {
    const body: Json = await sut.grant();
    expect(body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 3600,
      refresh_token: expect.any(String),
      id_token: expect.any(String),
    });
    const jwks: Json = await (await fetch(`${url}/auth/jwks`)).json();
    const [header, payload, signature] = String(body.access_token).split('.');
    const decodedHeader = JSON.parse(Buffer.from(header, 'base64url').toString());
    expect(decodedHeader).toMatchObject({ alg: 'RS256', kid: jwks.keys[0].kid });
    const key = createPublicKey({ key: jwks.keys[0] as JsonWebKey, format: 'jwk' });
    const ok = createVerify('RSA-SHA256')
      .update(`${header}.${payload}`)
      .verify(key, Buffer.from(signature, 'base64url'));
    expect(ok).toBe(true);
    const claims = claimsOf(body.id_token);
    expect(claims).toMatchObject({
      iss: url,
      tenantId: sut.sandbox.fixtures.incontact.tenantId,
      icBUId: sut.sandbox.fixtures.incontact.businessUnitId,
      icAgentId: sut.sandbox.fixtures.incontact.statusAgents.supervisor,
      sub: expect.stringMatching(/^user:/),
    });
    expect(claims.exp - claims.iat).toBe(3600);
    expect(claimsOf(body.access_token).tenantId).toBe(claims.tenantId);
  });

  it('finds the API host from the tenant in the token, then serves the ACD API there (MCP flow)', async () => {
    const { tenantId } = claimsOf(await sut.token());
    const config: Json = await (
      await fetch(`${url}/.well-known/cxone-configuration?tenantId=${tenantId}`)
    ).json();
    expect(config).toMatchObject({ api_endpoint: url, tenantId, area: 'na1', private: false });
    const agents = await fetch(`${config.api_endpoint}/inContactAPI/services/v30.0/agents/states`, {
      headers: { Authorization: `Bearer ${await sut.token()}`, Accept: 'application/json' },
    });
    expect(agents.status).toBe(200);
    expect((await fetch(`${url}/.well-known/cxone-configuration?tenantId=nope`)).status).toBe(404);
    expect((await fetch(`${url}/.well-known/cxone-configuration`)).status).toBe(400);
  });

  it('accepts client_secret_post (credentials in the form, no Authorization header)', async () => {
    const body = password();
    body.set('client_id', creds.clientId);
    body.set('client_secret', creds.clientSecret);
    const response = await tokenCall(body, {});
    expect(response.status).toBe(200);
  });

  it.each([
    ['a wrong client secret', 'password', 'wrong', 401, 'invalid_client'],
    ['a wrong access key secret', 'password', undefined, 401, 'invalid_grant'],
    ['client_credentials', 'client_credentials', undefined, 400, 'unsupported_grant_type'],
  ])('answers %s with %i %s in the OAuth shape', async (_, grant, clientSecret, status, error) => {
    const body = password();
    body.set('grant_type', grant);
    if (error === 'invalid_grant') body.set('password', 'not-the-secret');
    const response = await tokenCall(body, {
      Authorization: basic(creds.clientId, clientSecret ?? creds.clientSecret),
    });
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual({ error, error_description: expect.any(String) });
  });

  it('refuses a secret sent without form encoding (its "+" arrives as a space)', async () => {
    const raw = `grant_type=password&username=${creds.accessKeyId}&password=${creds.accessKeySecret}`;
    const response = await tokenCall(raw, {
      Authorization: basic(creds.clientId, creds.clientSecret),
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as Json).error).toBe('invalid_grant');
  });

  it('honours the registered client auth method: the other one is an unknown client', async () => {
    await sut.control.setQuirks({ tokenAuth: 'basic' });
    const post = password();
    post.set('client_id', creds.clientId);
    post.set('client_secret', creds.clientSecret);
    expect((await tokenCall(post, {})).status).toBe(401);
    await sut.control.setQuirks({ tokenAuth: 'body' });
    const viaBasic = await tokenCall(password(), {
      Authorization: basic(creds.clientId, creds.clientSecret),
    });
    expect(viaBasic.status).toBe(401);
    expect((await tokenCall(post, {})).status).toBe(200);
  });

  it('refreshes once per refresh token (OIDC refresh grant)', async () => {
    const first: Json = await sut.grant();
    const refresh = () =>
      tokenCall(
        new URLSearchParams({ grant_type: 'refresh_token', refresh_token: first.refresh_token }),
        {
          Authorization: basic(creds.clientId, creds.clientSecret),
        },
      );
    const again = await refresh();
    expect(again.status).toBe(200);
    expect(((await again.json()) as Json).access_token).not.toBe(first.access_token);
    expect((await refresh()).status).toBe(400);
  });

  it('serves the legacy access-key login and refresh exactly as the Singer tap reads them', async () => {
    const login = await fetch(`${url}/authentication/v1/token/access-key`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        accessKeyId: creds.accessKeyId,
        accessKeySecret: creds.accessKeySecret,
      }),
    });
    expect(login.status).toBe(200);
    const tokens: Json = await login.json();
    expect(Number.parseInt(String(tokens.expires_in), 10)).toBe(3600);
    expect(claimsOf(tokens.id_token).tenantId).toBe(sut.sandbox.fixtures.incontact.tenantId);
    const refresh = () =>
      fetch(`${url}/public/user/refresh`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ token: tokens.refresh_token }),
      });
    const refreshed = await refresh();
    expect(refreshed.status).toBe(200);
    const body: Json = await refreshed.json();
    expect(body).toEqual({
      token: expect.any(String),
      refreshToken: expect.any(String),
      tokenExpirationTimeSec: 3600,
      refreshTokenExpirationTimeSec: 86400,
    });
    const api = await fetch(`${url}/inContactAPI/services/v21.0/agents/states`, {
      headers: { Authorization: `Bearer ${body.token}`, Accept: 'application/json' },
    });
    expect(api.status).toBe(200);
    expect((await refresh()).status).toBe(401);
    const wrong = await fetch(`${url}/authentication/v1/token/access-key`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ accessKeyId: creds.accessKeyId, accessKeySecret: 'nope' }),
    });
    expect(wrong.status).toBe(401);
  });

  describe('bearer check on the API', () => {
    const states = (token?: string) =>
      fetch(`${url}/inContactAPI/services/v30.0/agents/states`, {
        headers: {
          Accept: 'application/json',
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
        },
      });

    it('refuses no token, a v2 token, an expired one and one expired through the control API', async () => {
      const missing = await states();
      expect(missing.status).toBe(401);
      expect(missing.headers.get('icstatusdescription')).toBe('Invalid or expired access token');
      expect(((await missing.json()) as Json).error).toBe('Unauthorized');
      const v2 = await fetch(`${url}/oauth/token`, {
        method: 'POST',
        headers: FORM,
        body: `grant_type=client_credentials&client_id=${creds.clientId}&client_secret=${creds.clientSecret}`,
      });
      expect((await states(((await v2.json()) as Json).access_token)).status).toBe(401);
      const token = await sut.token();
      expect((await states(token)).status).toBe(200);
      sut.clock.now += 3600 * 1000;
      expect((await states(token)).status).toBe(401);
      sut.clock.now -= 3600 * 1000;
      expect((await states(token)).status).toBe(200);
      await sut.control.expireTokens();
      expect((await states(token)).status).toBe(401);
    });

    it('accepts unsigned tokens when the issuer is switched to alg none', async () => {
      await sut.control.setQuirks({ jwtAlg: 'none' });
      const token = String((await sut.grant()).access_token);
      expect(token.endsWith('.')).toBe(true);
      expect((await states(token)).status).toBe(200);
    });
  });

  it('counts every call per route and never logs a credential', async () => {
    await sut.grant();
    await tokenCall(password(), { Authorization: basic(creds.clientId, 'wrong') });
    const stats = await sut.control.stats();
    expect(stats.routes.icDiscovery).toEqual({ calls: 1, byStatus: { '200': 1 } });
    expect(stats.routes.icToken).toEqual({ calls: 2, byStatus: { '200': 1, '401': 1 } });
    const logged = JSON.stringify(await sut.control.requests('icToken'));
    expect(logged).not.toContain(creds.accessKeySecret);
    expect(logged).not.toContain(
      Buffer.from(`${creds.clientId}:${creds.clientSecret}`).toString('base64'),
    );
    expect(logged).toContain(creds.accessKeyId);
  });
});
