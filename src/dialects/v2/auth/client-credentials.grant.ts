import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../../../config/config.constants';
import type { AppConfig, CxoneConfig } from '../../../config/app-config.types';
import type { GrantHttp, GrantedToken, TokenGrant } from '../../../cxone/token/token-grant';
import {
  badTokenBody,
  parseTokenBody,
  readTokenFailure,
  tokenFailureError,
} from '../../../cxone/token/token-response';
import { createRedactor } from '../../../observability/redact';

/**
 * The seed surface's OAuth2 `client_credentials` grant at CXONE_TOKEN_URL, client credentials
 * in the form body or as HTTP Basic (CXONE_TOKEN_AUTH), optional CXONE_SCOPES.
 */
@Injectable()
export class ClientCredentialsGrant implements TokenGrant {
  readonly name = 'v2';
  readonly refreshMarginMs = 60_000;
  private readonly redact: (text: string) => string;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.redact = createRedactor(config.secrets);
  }

  async request(http: GrantHttp): Promise<GrantedToken> {
    const cfg = this.config.cxone;
    const res = await http.send({
      step: 'token endpoint',
      method: 'POST',
      url: cfg.tokenUrl,
      form: tokenForm(cfg),
      headers: basicAuth(cfg),
    });
    if (res.status < 200 || res.status >= 300) {
      throw tokenFailureError(readTokenFailure(res, this.redact), ({ status }) =>
        status === 400 || status === 401 || status === 403
          ? 'CXone rejected the client credentials (CXONE_CLIENT_ID / CXONE_CLIENT_SECRET)'
          : undefined,
      );
    }
    const token = parseTokenBody(res.body);
    if (!token) throw badTokenBody();
    return { accessToken: token.accessToken, expiresInS: token.expiresInS };
  }
}

function tokenForm(cfg: CxoneConfig): URLSearchParams {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (cfg.tokenAuth === 'body') {
    form.set('client_id', cfg.clientId);
    form.set('client_secret', cfg.clientSecret);
  }
  if (cfg.scopes) form.set('scope', cfg.scopes);
  return form;
}

function basicAuth(cfg: CxoneConfig): Record<string, string> {
  if (cfg.tokenAuth !== 'basic') return {};
  // As the seeds' `requests` auth=(id, secret) does: base64 of "id:secret".
  const basic = Buffer.from(`${cfg.clientId}:${cfg.clientSecret}`).toString('base64');
  return { Authorization: `Basic ${basic}` };
}
