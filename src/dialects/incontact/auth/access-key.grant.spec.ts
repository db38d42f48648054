import { Logger } from '@nestjs/common';
import { SystemClock } from '../../../common/clock/clock';
import { AppError } from '../../../common/errors/app-error';
import type { RedisService } from '../../../common/redis/redis.service';
import type { CxoneConfig } from '../../../config/app-config.types';
import { CxoneClient } from '../../../cxone/cxone.client';
import { CxoneHttp } from '../../../cxone/cxone-http';
import { CxoneTokenProvider } from '../../../cxone/token/cxone-token.provider';
import { GrantTransport } from '../../../cxone/token/grant-transport';
import { MetricsService } from '../../../observability/metrics.service';
import { AccessKeyGrant, rejectedCredential } from './access-key.grant';
import {
  InContactAuthStub,
  STUB_ACCESS_KEY,
  STUB_APP,
  STUB_TENANT,
  incontactStubConfig,
} from './incontact-auth.stub.fake';

async function failure(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('AccessKeyGrant (against a local CXone identity stub)', () => {
  let stub: InContactAuthStub;
  const http = new CxoneHttp();
  const clock = new SystemClock();

  beforeAll(async () => {
    Logger.overrideLogger(false);
    stub = await StubAuth();
  });
  afterAll(async () => {
    http.onApplicationShutdown();
    await stub.close();
  });
  beforeEach(() => stub.reset());

  const StubAuth = () => InContactAuthStub.start();
  const transport = () => new GrantTransport(http, clock, new MetricsService(), 1000);
  const grant = (cxone: Partial<CxoneConfig> = {}) =>
    new AccessKeyGrant(incontactStubConfig(stub.url, cxone));

  it('discovers the token endpoint, sends the password grant with Basic auth, discovers the API host', async () => {
    const sut = grant();
    const token = await sut.request(transport());
    expect(token).toMatchObject({ expiresInS: 3600, apiBaseUrl: stub.url, tenantId: STUB_TENANT });
    expect(stub.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /.well-known/openid-configuration',
      'POST /auth/token',
      'GET /.well-known/cxone-configuration',
    ]);
    const [, tokenCall, tenantCall] = stub.requests;
    const basic = Buffer.from(`${STUB_APP.clientId}:${STUB_APP.clientSecret}`).toString('base64');
    expect(tokenCall.headers.authorization).toBe(`Basic ${basic}`);
    expect(tokenCall.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(tokenCall.headers.accept).toBe('application/json');
    // `=`, `+` and `/` of the key are form-encoded (CXone needs `=` as %3D).
    expect(tokenCall.body).toBe(
      'grant_type=password&username=STUBKEYID&password=stub%3Daccess%2Bkey%2Fsecret',
    );
    expect(tenantCall.query.get('tenantId')).toBe(STUB_TENANT);
  });

  it('sends the client credentials in the body for client_secret_post', async () => {
    stub.clientAuth = 'body';
    await grant({ tokenAuth: 'body' }).request(transport());
    const form = new URLSearchParams(stub.requests[1].body);
    expect(stub.requests[1].headers.authorization).toBeUndefined();
    expect(form.get('client_id')).toBe(STUB_APP.clientId);
    expect(form.get('client_secret')).toBe(STUB_APP.clientSecret);
    expect(form.get('username')).toBe(STUB_ACCESS_KEY.id);
  });

  it('keeps both discovery answers: the next grant is one token call', async () => {
    const sut = grant();
    await sut.request(transport());
    await sut.request(transport());
    expect(stub.count('/.well-known/openid-configuration')).toBe(1);
    expect(stub.count('/.well-known/cxone-configuration')).toBe(1);
    expect(stub.count('/auth/token')).toBe(2);
  });

  it('skips tenant discovery when CXONE_API_BASE_URL pins the API host', async () => {
    const token = await grant({ baseUrl: 'https://api-eu1.niceincontact.com' }).request(
      transport(),
    );
    expect(token.apiBaseUrl).toBe('https://api-eu1.niceincontact.com');
    expect(stub.count('/.well-known/cxone-configuration')).toBe(0);
  });

  it('reads tenantId from the access token when the id_token lacks it', async () => {
    stub.tenantClaimIn = 'access_token';
    expect((await grant().request(transport())).tenantId).toBe(STUB_TENANT);
  });

  it('fails naming CXONE_API_BASE_URL when no token carries a tenantId', async () => {
    stub.tenantClaimIn = 'none';
    const err = await failure(grant().request(transport()));
    expect(err.code).toBe('UPSTREAM_ERROR');
    expect(err.message).toContain('tenantId');
    expect(err.message).toContain('CXONE_API_BASE_URL');
  });

  it('says the application credentials are wrong on invalid_client, without the secrets', async () => {
    const err = await failure(grant({ clientSecret: 'not-the-secret' }).request(transport()));
    expect(err.code).toBe('UPSTREAM_AUTH_FAILED');
    expect(err.message).toContain('CXONE_CLIENT_ID / CXONE_CLIENT_SECRET');
    expect(err.message).toContain('HTTP 401: Client authentication failed');
    expect(err.message).not.toContain('not-the-secret');
    expect(err.message).not.toContain(STUB_ACCESS_KEY.secret);
  });

  it('hints at CXONE_TOKEN_AUTH when the registration expects the other client authentication', async () => {
    stub.clientAuth = 'body';
    const err = await failure(grant({ tokenAuth: 'basic' }).request(transport()));
    expect(err.message).toContain('CXONE_TOKEN_AUTH');
  });

  it('says the access key is wrong on invalid_grant, with the CorrelationId', async () => {
    const sut = grant({
      incontact: { ...incontactStubConfig(stub.url).cxone.incontact, accessKeySecret: 'revoked' },
    });
    const err = await failure(sut.request(transport()));
    expect(err.code).toBe('UPSTREAM_AUTH_FAILED');
    expect(err.message).toContain('CXONE_ACCESS_KEY_ID / CXONE_ACCESS_KEY_SECRET');
    expect(err.extensions).toMatchObject({
      upstream: { status: 401, error: 'invalid_grant', correlationId: 'corr-123' },
    });
  });

  it('maps a failing discovery: 503 unavailable, text instead of JSON a bad answer', async () => {
    stub.script('/.well-known/openid-configuration', { status: 503, body: { message: 'down' } });
    const down = await failure(grant().request(transport()));
    expect(down).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    expect(down.message).toBe('CXone OIDC discovery failed (HTTP 503: down)');
    stub.script('/.well-known/openid-configuration', { body: 'No known way to render data' });
    const text = await failure(grant().request(transport()));
    expect(text.code).toBe('UPSTREAM_ERROR');
    expect(text.message).toContain('unexpected response shape from CXone for OIDC discovery');
  });

  it('maps an unknown tenant at tenant discovery to an upstream error', async () => {
    stub.script('/.well-known/cxone-configuration', { status: 404, body: {} });
    const err = await failure(grant().request(transport()));
    expect(err).toMatchObject({ code: 'UPSTREAM_ERROR' });
    expect(err.message).toContain('tenant discovery failed (HTTP 404)');
  });

  it('maps an unreachable issuer to UPSTREAM_UNAVAILABLE naming the step', async () => {
    const cfg = incontactStubConfig('http://127.0.0.1:1');
    const err = await failure(new AccessKeyGrant(cfg).request(transport()));
    expect(err.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(err.message).toContain('CXone OIDC discovery is unreachable (ECONNREFUSED)');
  });

  it('classifies OAuth errors by the credential they blame', () => {
    expect(rejectedCredential({ status: 400, error: 'invalid_grant' })).toContain('access key');
    expect(rejectedCredential({ status: 401, error: 'unauthorized_client' })).toContain(
      'CXONE_CLIENT_ID',
    );
    expect(rejectedCredential({ status: 401 })).toContain('credentials');
    expect(rejectedCredential({ status: 400, error: 'unsupported_grant_type' })).toBeUndefined();
    expect(rejectedCredential({ status: 503 })).toBeUndefined();
  });

  describe('behind the token provider and the client', () => {
    function client(): { sut: CxoneClient; tokens: CxoneTokenProvider } {
      const config = incontactStubConfig(stub.url);
      const redis = { client: null } as unknown as RedisService;
      const metrics = new MetricsService();
      const tokens = new CxoneTokenProvider(
        config,
        clock,
        redis,
        http,
        metrics,
        new AccessKeyGrant(config),
      );
      const sut = new CxoneClient(config, clock, redis, metrics, tokens, http, {
        backoffBaseMs: 10,
        backoffMaxMs: 20,
      });
      return { sut, tokens };
    }
    const ping = {
      operation: 'agentHistory' as const,
      method: 'GET' as const,
      path: '/inContactAPI/services/v30.0/ping',
    };

    it('calls the discovered API host with the granted token', async () => {
      const { sut, tokens } = client();
      const res = await sut.request(ping);
      expect(res.data).toEqual({ ok: true, path: ping.path });
      expect(tokens.apiBaseUrl()).toBe(stub.url);
      const call = stub.requests.find((r) => r.path === ping.path);
      expect(call?.headers.authorization).toMatch(/^Bearer ey/);
    });

    it('re-grants once on a 401 and retries the call', async () => {
      const { sut } = client();
      await sut.request(ping);
      stub.expireTokens();
      const res = await sut.request(ping);
      expect(res.attempts).toBe(2);
      expect(stub.count('/auth/token')).toBe(2);
      expect(stub.count('/.well-known/openid-configuration')).toBe(1);
    });

    it('reports a rejected access key in the token status and fails the call', async () => {
      const config = incontactStubConfig(stub.url);
      config.cxone.incontact.accessKeyId = 'WRONGKEY';
      const tokens = new CxoneTokenProvider(
        config,
        clock,
        { client: null } as unknown as RedisService,
        http,
        new MetricsService(),
        new AccessKeyGrant(config),
      );
      const err = await failure(tokens.getToken());
      expect(err.code).toBe('UPSTREAM_AUTH_FAILED');
      expect(tokens.status().lastError).toMatchObject({
        message: expect.stringContaining('CXONE_ACCESS_KEY_ID') as string,
        correlationId: 'corr-123',
      });
    });
  });
});
