import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppConfig, CxoneConfig } from '../../../config/app-config.types';

export const STUB_APP = { clientId: 'stub-app-id', clientSecret: 'stub-app-secret' };
export const STUB_ACCESS_KEY = { id: 'STUBKEYID', secret: 'stub=access+key/secret' };
export const STUB_TENANT = '11e85da0-f32c-7e10-898c-0242ac110003';

export interface StubAuthReply {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * A tiny CXone identity provider for unit specs of the access-key grant: OIDC discovery, the
 * password grant (Basic or body client authentication, really checked), JWTs carrying
 * `tenantId`, and tenant discovery. Any route can be scripted to fail.
 */
export class InContactAuthStub {
  url = '';
  /** Which client authentication the stub's app registration accepts. */
  clientAuth: 'basic' | 'body' = 'basic';
  /** Where tenant discovery points the API (defaults to the stub itself). */
  apiEndpoint: string | undefined;
  /** Put `tenantId` in the id_token (default) or only in the access token, or nowhere. */
  tenantClaimIn: 'id_token' | 'access_token' | 'none' = 'id_token';
  tokensIssued = 0;
  readonly requests: Seen[] = [];
  private readonly live = new Set<string>();
  private readonly scripts = new Map<string, StubAuthReply[]>();
  private readonly server = http.createServer((req, res) => this.handle(req, res));

  static async start(): Promise<InContactAuthStub> {
    const stub = new InContactAuthStub();
    await new Promise<void>((resolve) => stub.server.listen(0, '127.0.0.1', resolve));
    stub.url = `http://127.0.0.1:${(stub.server.address() as AddressInfo).port}`;
    return stub;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Replies for the next calls to `path`, in order; then its normal behaviour. */
  script(path: string, ...replies: StubAuthReply[]): void {
    this.scripts.set(path, [...(this.scripts.get(path) ?? []), ...replies]);
  }

  /** Every token issued so far stops being accepted (as after a key rotation). */
  expireTokens(): void {
    this.live.clear();
  }

  count(path: string): number {
    return this.requests.filter((r) => r.path === path).length;
  }

  reset(): void {
    this.requests.length = 0;
    this.scripts.clear();
    this.tokensIssued = 0;
    this.live.clear();
    this.clientAuth = 'basic';
    this.apiEndpoint = undefined;
    this.tenantClaimIn = 'id_token';
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', this.url);
      const seen: Seen = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      };
      this.requests.push(seen);
      const reply = this.scripts.get(seen.path)?.shift() ?? this.answer(seen);
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
      res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
    });
  }

  private answer(req: Seen): StubAuthReply {
    switch (req.path) {
      case '/.well-known/openid-configuration':
        return {
          body: {
            issuer: this.url,
            token_endpoint: `${this.url}/auth/token`,
            token_endpoint_auth_methods_supported: ['client_secret_basic'],
          },
        };
      case '/.well-known/cxone-configuration':
        if (req.query.get('tenantId') !== STUB_TENANT) return { status: 404, body: {} };
        return {
          body: {
            private: false,
            api_endpoint: `${this.apiEndpoint ?? this.url}/`,
            area: 'na1',
            domain: 'niceincontact.com',
            uhDomain: 'nice-incontact.com',
            tenantId: STUB_TENANT,
          },
        };
      case '/auth/token':
        return this.token(req);
      default:
        return this.api(req);
    }
  }

  /** Any `/inContactAPI/...` path: 200 `{ok, path}` for a live bearer token, else 401. */
  private api(req: Seen): StubAuthReply {
    if (!req.path.toLowerCase().startsWith('/incontactapi/')) {
      return { status: 404, body: { message: `No route ${req.path}` } };
    }
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    if (!this.live.has(token)) return { status: 401, body: { error: 'invalid_token' } };
    return { body: { ok: true, path: req.path } };
  }

  private token(req: Seen): StubAuthReply {
    const form = new URLSearchParams(req.body);
    if (form.get('grant_type') !== 'password') {
      return { status: 400, body: { error: 'unsupported_grant_type' } };
    }
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
    const [id, secret] = basic
      ? Buffer.from(basic[1], 'base64').toString().split(':')
      : [form.get('client_id'), form.get('client_secret')];
    const usedAuth = basic ? 'basic' : 'body';
    if (
      usedAuth !== this.clientAuth ||
      id !== STUB_APP.clientId ||
      secret !== STUB_APP.clientSecret
    ) {
      return {
        status: 401,
        body: { error: 'invalid_client', error_description: 'Client authentication failed' },
      };
    }
    if (
      form.get('username') !== STUB_ACCESS_KEY.id ||
      form.get('password') !== STUB_ACCESS_KEY.secret
    ) {
      return {
        status: 401,
        body: { error: 'invalid_grant', error_description: 'Invalid access key' },
        headers: { CorrelationId: 'corr-123' },
      };
    }
    this.tokensIssued += 1;
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: this.url, iat: now, exp: now + 3600, icBUId: 4599570 };
    const jwt = (withTenant: boolean): string =>
      `${b64({ alg: 'none' })}.${b64({ ...claims, ...(withTenant && { tenantId: STUB_TENANT }), n: this.tokensIssued })}.`;
    const accessToken = jwt(this.tenantClaimIn === 'access_token');
    this.live.add(accessToken);
    return {
      body: {
        access_token: accessToken,
        token_type: 'Bearer',
        refresh_token: 'refresh-not-used',
        expires_in: 3600,
        id_token: jwt(this.tenantClaimIn === 'id_token'),
      },
    };
  }
}

/** A config for the `incontact` dialect pointing at the stub as issuer. */
export function incontactStubConfig(url: string, cxone: Partial<CxoneConfig> = {}): AppConfig {
  const full: CxoneConfig = {
    dialect: 'incontact',
    baseUrl: '',
    tokenUrl: '',
    clientId: STUB_APP.clientId,
    clientSecret: STUB_APP.clientSecret,
    tokenAuth: 'basic',
    timeoutMs: 1000,
    deadlineMs: 3000,
    maxAttempts: 3,
    maxRps: 1000,
    maxConcurrency: 50,
    incontact: {
      issuer: url,
      accessKeyId: STUB_ACCESS_KEY.id,
      accessKeySecret: STUB_ACCESS_KEY.secret,
      apiVersion: '30.0',
      apiVersions: {},
    },
    ...cxone,
  };
  const secrets = [full.clientSecret, full.incontact.accessKeySecret];
  return { mode: 'cxone', cxone: full, secrets } as unknown as AppConfig;
}
