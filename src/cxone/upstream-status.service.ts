import { Inject, Injectable } from '@nestjs/common';
import { CxoneTokenProvider } from './token/cxone-token.provider';
import { APP_CONFIG } from '../config/config.constants';
import type { AppConfig } from '../config/app-config.types';
import { CxoneClient } from './cxone.client';
import type { UpstreamLastErrorDto, UpstreamStatusDto } from './upstream-status.dto';

/** Assembles the upstream status from the client and the token provider. */
@Injectable()
export class UpstreamStatusService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly client: CxoneClient,
    private readonly tokens: CxoneTokenProvider,
  ) {}

  status(): UpstreamStatusDto {
    const token = this.tokens.status();
    return {
      mode: this.config.mode,
      dialect: this.config.cxone.dialect,
      // In incontact this is the host discovered with the token (empty until the first grant).
      baseUrl: this.tokens.apiBaseUrl(),
      token: {
        valid: token.valid,
        expiresInS: token.expiresInS,
        lastRefreshAt: token.lastRefreshAt,
      },
      circuits: this.client.circuits(),
      budget: this.client.budget(),
      lastError: latest(
        this.client.lastError(),
        token.lastError && { ...token.lastError, operation: 'token' },
      ),
    };
  }
}

function latest(
  a: UpstreamLastErrorDto | null,
  b: UpstreamLastErrorDto | null,
): UpstreamLastErrorDto | null {
  if (!a || !b) return a ?? b;
  return a.at >= b.at ? a : b;
}
