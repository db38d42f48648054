import type { AppConfig, CxoneConfig } from '../../config/app-config.types';
import { AppError } from '../../common/errors/app-error';
import { FakeClock } from '../../common/clock/fake-clock.fake';
import { SystemClock } from '../../common/clock/clock';
import type { RedisService } from '../../common/redis/redis.service';
import { ClientCredentialsGrant } from '../../dialects/v2/auth/client-credentials.grant';
import { MetricsService } from '../../observability/metrics.service';
import { CxoneHttp } from '../cxone-http';
import { StubUpstream, STUB_CLIENT_SECRET, stubConfig } from '../stub-upstream.fake';
import { CxoneTokenProvider, refreshAt, sharedTokenKeys } from './cxone-token.provider';
import type { GrantHttp, GrantedToken, TokenGrant } from './token-grant';

/** Just the ioredis commands the provider uses, in memory; `fail` makes every command throw. */
class FakeRedis {
  readonly store = new Map<string, { value: string; expiresAt: number }>();
  fail = false;

  private check(): void {
    if (this.fail) throw new Error('Connection is closed.');
  }

  get(key: string): Promise<string | null> {
    this.check();
    const entry = this.store.get(key);
    if (!entry || entry.expiresAt <= Date.now()) return Promise.resolve(null);
    return Promise.resolve(entry.value);
  }

  set(key: string, value: string, _px: 'PX', ms: number, nx?: 'NX'): Promise<'OK' | null> {
    this.check();
    const live = this.store.get(key);
    if (nx && live && live.expiresAt > Date.now()) return Promise.resolve(null);
    this.store.set(key, { value, expiresAt: Date.now() + ms });
    return Promise.resolve('OK');
  }

  del(key: string): Promise<number> {
    this.check();
    return Promise.resolve(this.store.delete(key) ? 1 : 0);
  }

  eval(_script: string, _n: number, key: string, id: string): Promise<number> {
    this.check();
    if (this.store.get(key)?.value !== id) return Promise.resolve(0);
    this.store.delete(key);
    return Promise.resolve(1);
  }
}

const redisOf = (client: FakeRedis | null) => ({ client }) as unknown as RedisService;

/** A grant that discovers its API host, as the incontact one does; counts its requests. */
class DiscoveringGrant implements TokenGrant {
  readonly name = 'discovering';
  readonly refreshMarginMs = 300_000;
  requests = 0;
  request(_http: GrantHttp): Promise<GrantedToken> {
    this.requests += 1;
    return Promise.resolve({
      accessToken: `granted-${this.requests}`,
      expiresInS: 3600,
      apiBaseUrl: 'https://api-na1.example',
      tenantId: 'tenant-1',
    });
  }
}

describe('CxoneTokenProvider', () => {
  let stub: StubUpstream;
  const http = new CxoneHttp();

  beforeAll(async () => {
    stub = await StubUpstream.start();
  });
  afterAll(async () => {
    http.onApplicationShutdown();
    await stub.close();
  });
  beforeEach(() => stub.reset());

  function provider(
    opts: {
      cxone?: Partial<CxoneConfig>;
      clock?: FakeClock | SystemClock;
      redis?: FakeRedis | null;
      config?: AppConfig;
      grant?: TokenGrant;
    } = {},
  ): CxoneTokenProvider {
    const config = opts.config ?? stubConfig(stub.url, opts.cxone);
    return new CxoneTokenProvider(
      config,
      opts.clock ?? new SystemClock(),
      redisOf(opts.redis ?? null),
      http,
      new MetricsService(),
      opts.grant ?? new ClientCredentialsGrant(config),
      { sharedWaitMs: 1000, sharedPollMs: 20 },
    );
  }

  it('gets a client-credentials token with id and secret in the form body', async () => {
    const sut = provider({ cxone: { scopes: 'reporting:read analytics:read' } });
    const token = await sut.getToken();
    expect(token).toMatch(/^tok-1-/);
    const form = new URLSearchParams(stub.requests[0].body);
    expect(form.get('grant_type')).toBe('client_credentials');
    expect(form.get('client_id')).toBe('stub-client');
    expect(form.get('scope')).toBe('reporting:read analytics:read');
    expect(stub.requests[0].headers.authorization).toBeUndefined();
  });

  it('uses HTTP Basic when configured, keeping the secret out of the body', async () => {
    const sut = provider({ cxone: { tokenAuth: 'basic' } });
    await sut.getToken();
    expect(stub.requests[0].headers.authorization).toMatch(/^Basic /);
    expect(stub.requests[0].body).not.toContain(STUB_CLIENT_SECRET);
    expect(stub.requests[0].body).toBe('grant_type=client_credentials');
  });

  it('caches the token and refreshes 60 s before expiry', async () => {
    const clock = new FakeClock();
    const sut = provider({ clock });
    const first = await sut.getToken();
    await clock.advance(3600_000 - 61_000);
    expect(await sut.getToken()).toBe(first);
    await clock.advance(2000);
    expect(await sut.getToken()).not.toBe(first);
    expect(stub.tokensIssued).toBe(2);
  });

  it('refreshes at 10 % of a short lifetime, else the grant margin before expiry', () => {
    expect(refreshAt({ issuedAt: 0, expiresAt: 2000 }, 60_000)).toBe(1800);
    expect(refreshAt({ issuedAt: 0, expiresAt: 3600_000 }, 60_000)).toBe(3540_000);
    expect(refreshAt({ issuedAt: 0, expiresAt: 3600_000 }, 300_000)).toBe(3300_000);
  });

  it('uses the API host the grant discovered and re-grants 5 minutes before expiry', async () => {
    const clock = new FakeClock();
    const grant = new DiscoveringGrant();
    const sut = provider({ clock, grant, cxone: { baseUrl: '' } });
    expect(sut.apiBaseUrl()).toBe('');
    expect(await sut.getToken()).toBe('granted-1');
    expect(sut.apiBaseUrl()).toBe('https://api-na1.example');
    await clock.advance(3600_000 - 301_000);
    expect(await sut.getToken()).toBe('granted-1');
    await clock.advance(2000);
    expect(await sut.getToken()).toBe('granted-2');
  });

  it('falls back to the configured base URL when the grant names no host', async () => {
    const sut = provider();
    await sut.getToken();
    expect(sut.apiBaseUrl()).toBe(stub.url);
  });

  it('makes one token request for 50 concurrent callers', async () => {
    const sut = provider();
    const tokens = await Promise.all(Array.from({ length: 50 }, () => sut.getToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(stub.count('/oauth/token')).toBe(1);
  });

  it('invalidates only the current token', async () => {
    const sut = provider();
    const first = await sut.getToken();
    sut.invalidate('some-older-token');
    expect(await sut.getToken()).toBe(first);
    sut.invalidate(first);
    expect(await sut.getToken()).not.toBe(first);
    expect(stub.tokensIssued).toBe(2);
  });

  it('maps rejected credentials to UPSTREAM_AUTH_FAILED and does not ask again at once', async () => {
    const sut = provider({ cxone: { clientSecret: 'wrong-secret' } });
    const err = await sut.getToken().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'UPSTREAM_AUTH_FAILED' });
    expect((err as AppError).message).toContain('CXone rejected the client credentials');
    expect((err as AppError).message).toContain('Client authentication failed');
    await expect(sut.getToken()).rejects.toMatchObject({ code: 'UPSTREAM_AUTH_FAILED' });
    expect(stub.count('/oauth/token')).toBe(1);
  });

  it('maps a 5xx to UPSTREAM_UNAVAILABLE and a bad body to UPSTREAM_ERROR', async () => {
    const sut = provider();
    stub.scriptToken({ status: 503, body: { message: 'maintenance' } }, { body: { token: 'x' } });
    await expect(sut.getToken()).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    await expect(sut.getToken()).rejects.toMatchObject({
      code: 'UPSTREAM_ERROR',
      message: 'unexpected response shape from CXone for token',
    });
    expect(sut.status().lastError?.message).toContain('unexpected response shape');
  });

  it('maps an unreachable token endpoint to UPSTREAM_UNAVAILABLE', async () => {
    const sut = provider({ cxone: { tokenUrl: 'http://127.0.0.1:1/oauth/token' } });
    await expect(sut.getToken()).rejects.toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      message: expect.stringContaining('ECONNREFUSED'),
    });
  });

  it('keeps serving a still-valid token when an early refresh fails', async () => {
    const clock = new FakeClock();
    const sut = provider({ clock });
    const first = await sut.getToken();
    await clock.advance(3600_000 - 30_000);
    stub.scriptToken({ status: 500 });
    expect(await sut.getToken()).toBe(first);
  });

  it('reports state without the token', async () => {
    const clock = new FakeClock();
    const sut = provider({ clock });
    expect(sut.status()).toEqual({
      valid: false,
      expiresInS: null,
      lastRefreshAt: null,
      lastError: null,
    });
    const token = await sut.getToken();
    await clock.advance(10_000);
    const status = sut.status();
    expect(status).toMatchObject({ valid: true, expiresInS: 3590, lastError: null });
    expect(JSON.stringify(status)).not.toContain(token);
  });

  describe('with Redis', () => {
    it('shares one token across replicas', async () => {
      const redis = new FakeRedis();
      const a = provider({ redis });
      const b = provider({ redis });
      const [ta, tb] = await Promise.all([a.getToken(), b.getToken()]);
      expect(ta).toBe(tb);
      expect(stub.tokensIssued).toBe(1);
      expect(redis.store.has(sharedTokenKeys('v2', stubConfig(stub.url).cxone).token)).toBe(true);
      const c = provider({ redis });
      expect(await c.getToken()).toBe(ta);
      expect(stub.tokensIssued).toBe(1);
    });

    it('never shares a token across credentials or tenants on one Redis', async () => {
      const redis = new FakeRedis();
      const a = provider({ redis });
      const first = await a.getToken();
      const base = stubConfig(stub.url).cxone;
      const otherTenant = { incontact: { ...base.incontact, issuer: 'https://other.example' } };
      const rotatedKey = { incontact: { ...base.incontact, accessKeyId: 'rotated-key' } };
      for (const cxone of [{ clientId: 'other-client' }, otherTenant, rotatedKey]) {
        // It grants its own (the stub refuses an unknown client id): it never adopts `first`.
        const other = provider({ redis, cxone });
        expect(await other.getToken().catch(() => 'refused')).not.toBe(first);
        expect(sharedTokenKeys('v2', { ...base, ...cxone }).token).not.toBe(
          sharedTokenKeys('v2', base).token,
        );
      }
      expect(await provider({ redis }).getToken()).toBe(first);
      expect([...redis.store.keys()].join(' ')).not.toContain(base.clientId);
    });

    it('does not re-adopt a token another replica had rejected', async () => {
      const redis = new FakeRedis();
      const a = provider({ redis });
      const b = provider({ redis });
      const first = await a.getToken();
      expect(await b.getToken()).toBe(first);
      a.invalidate(first);
      const second = await a.getToken();
      expect(second).not.toBe(first);
      b.invalidate(first);
      expect(await b.getToken()).toBe(second);
      expect(stub.tokensIssued).toBe(2);
    });

    it('shares the discovered API host and tenant with the token, per grant', async () => {
      const redis = new FakeRedis();
      const grantA = new DiscoveringGrant();
      const grantB = new DiscoveringGrant();
      const a = provider({ redis, grant: grantA, cxone: { baseUrl: '' } });
      const b = provider({ redis, grant: grantB, cxone: { baseUrl: '' } });
      expect(await a.getToken()).toBe('granted-1');
      expect(await b.getToken()).toBe('granted-1');
      expect(b.apiBaseUrl()).toBe('https://api-na1.example');
      expect(grantA.requests + grantB.requests).toBe(1);
      const key = sharedTokenKeys('discovering', stubConfig(stub.url, { baseUrl: '' }).cxone).token;
      const shared = JSON.parse(redis.store.get(key)?.value ?? '');
      expect(shared).toMatchObject({ tenantId: 'tenant-1', apiBaseUrl: 'https://api-na1.example' });
      // Another dialect's provider on the same Redis does not adopt that token.
      const v2 = provider({ redis });
      expect(await v2.getToken()).toMatch(/^tok-/);
    });

    it('makes one grant when two replicas miss at once (the other waits for its token)', async () => {
      const redis = new FakeRedis();
      const grant = new DiscoveringGrant();
      const replicas = [1, 2, 3].map(() => provider({ redis, grant, cxone: { baseUrl: '' } }));
      const tokens = await Promise.all(replicas.map((r) => r.getToken()));
      expect(new Set(tokens)).toEqual(new Set(['granted-1']));
      expect(grant.requests).toBe(1);
    });

    it('falls back to local behaviour when Redis fails', async () => {
      const redis = new FakeRedis();
      redis.fail = true;
      const sut = provider({ redis });
      await expect(sut.getToken()).resolves.toMatch(/^tok-/);
      expect(stub.tokensIssued).toBe(1);
    });
  });
});
