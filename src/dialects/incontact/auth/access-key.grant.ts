import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '../../../common/errors/app-error';
import { APP_CONFIG } from '../../../config/config.constants';
import type { AppConfig } from '../../../config/app-config.types';
import type { HttpResult } from '../../../cxone/cxone-http';
import type { GrantHttp, GrantedToken, TokenGrant } from '../../../cxone/token/token-grant';
import {
  badTokenBody,
  parseTokenBody,
  readTokenFailure,
  tokenFailureError,
  type TokenFailure,
} from '../../../cxone/token/token-response';
import { createRedactor } from '../../../observability/redact';
import { tenantIdOf } from './jwt-claims';
import {
  OIDC_DISCOVERY_PATH,
  TENANT_DISCOVERY_PATH,
  readApiEndpoint,
  readTokenEndpoint,
} from './oidc-discovery';

/**
 * The real CXone back-end login: OIDC discovery of the token endpoint, the password grant with
 * an employee's access key (client authentication by HTTP Basic or in the body), the tenant read
 * from the token's claims, then tenant discovery of the regional API host — unless
 * CXONE_API_BASE_URL pins it. Discovery answers are kept for the life of the process: they
 * describe the tenant, not the token.
 */
@Injectable()
export class AccessKeyGrant implements TokenGrant {
  readonly name = 'incontact';
  /** Tokens live an hour; replace them 5 minutes early, as working clients do. */
  readonly refreshMarginMs = 5 * 60_000;
  private readonly redact: (text: string) => string;
  private tokenEndpoint: string | undefined;
  private readonly apiHosts = new Map<string, string>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.redact = createRedactor(config.secrets);
  }

  async request(http: GrantHttp): Promise<GrantedToken> {
    const endpoint = this.tokenEndpoint ?? (await this.discoverTokenEndpoint(http));
    const cfg = this.config.cxone;
    const form = new URLSearchParams({
      grant_type: 'password',
      username: cfg.incontact.accessKeyId,
      password: cfg.incontact.accessKeySecret,
    });
    const headers: Record<string, string> = {};
    if (cfg.tokenAuth === 'basic') {
      const basic = Buffer.from(`${cfg.clientId}:${cfg.clientSecret}`).toString('base64');
      headers.Authorization = `Basic ${basic}`;
    } else {
      form.set('client_id', cfg.clientId);
      form.set('client_secret', cfg.clientSecret);
    }
    const res = await http.send({
      step: 'token endpoint',
      method: 'POST',
      url: endpoint,
      form,
      headers,
    });
    if (!isOk(res)) {
      // A moved endpoint: discover it again next time rather than keep asking the old one.
      if (res.status === 404) this.tokenEndpoint = undefined;
      throw tokenFailureError(readTokenFailure(res, this.redact), rejectedCredential);
    }
    const body = parseTokenBody(res.body);
    if (!body) throw badTokenBody();
    const tenantId = tenantIdOf(body);
    const apiBaseUrl = cfg.baseUrl || (await this.apiHostOf(http, tenantId));
    return { accessToken: body.accessToken, expiresInS: body.expiresInS, apiBaseUrl, tenantId };
  }

  private async discoverTokenEndpoint(http: GrantHttp): Promise<string> {
    const issuer = this.config.cxone.incontact.issuer;
    const url = `${issuer}${OIDC_DISCOVERY_PATH}`;
    const res = await http.send({ step: 'OIDC discovery', method: 'GET', url });
    this.tokenEndpoint = this.readDiscovery('OIDC discovery', res, (b) =>
      readTokenEndpoint(b, issuer),
    );
    return this.tokenEndpoint;
  }

  private async apiHostOf(http: GrantHttp, tenantId: string | undefined): Promise<string> {
    if (!tenantId) {
      throw new AppError(
        'UPSTREAM_ERROR',
        "CXone's token carries no tenantId claim, so the tenant's API host cannot be discovered; set CXONE_API_BASE_URL",
      );
    }
    const known = this.apiHosts.get(tenantId);
    if (known) return known;
    const issuer = this.config.cxone.incontact.issuer;
    const res = await http.send({
      step: 'tenant discovery',
      method: 'GET',
      url: `${issuer}${TENANT_DISCOVERY_PATH}`,
      query: { tenantId },
    });
    const host = this.readDiscovery('tenant discovery', res, (b) => readApiEndpoint(b, issuer));
    this.apiHosts.set(tenantId, host);
    return host;
  }

  /** A discovery answer: its field, or the error naming the step, status and reason. */
  private readDiscovery(step: string, res: HttpResult, read: (body: unknown) => string): string {
    if (!isOk(res)) {
      const failure = readTokenFailure(res, this.redact);
      const transient = res.status === 429 || res.status >= 500;
      const said = failure.message ? `: ${failure.message}` : '';
      throw new AppError(
        transient ? 'UPSTREAM_UNAVAILABLE' : 'UPSTREAM_ERROR',
        `CXone ${step} failed (HTTP ${res.status}${said})`,
        { extensions: { upstream: { status: res.status, message: failure.message } } },
      );
    }
    try {
      return read(res.body);
    } catch (err) {
      const why = this.redact((err as Error).message);
      throw new AppError(
        'UPSTREAM_ERROR',
        `unexpected response shape from CXone for ${step}: ${why}`,
      );
    }
  }
}

/**
 * Which credential an OAuth error blames, in words an operator can act on; undefined when the
 * failure is not a rejection (a malformed request, an unsupported grant, an outage).
 */
export function rejectedCredential(failure: TokenFailure): string | undefined {
  const { error, status } = failure;
  if (error === 'invalid_client' || error === 'unauthorized_client') {
    return (
      'CXone rejected the application credentials (CXONE_CLIENT_ID / CXONE_CLIENT_SECRET): ' +
      'wrong, not yet approved by NICE, or registered for the other client authentication ' +
      '(CXONE_TOKEN_AUTH basic|body)'
    );
  }
  if (error === 'invalid_grant') {
    return (
      'CXone rejected the access key (CXONE_ACCESS_KEY_ID / CXONE_ACCESS_KEY_SECRET): ' +
      'wrong, revoked, or its employee is inactive'
    );
  }
  if (status === 401 || status === 403) {
    return 'CXone rejected the credentials (application or access key; its answer names neither)';
  }
  return undefined;
}

function isOk(res: HttpResult): boolean {
  return res.status >= 200 && res.status < 300;
}
