import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { CxoneTokenProvider } from '../cxone/token/cxone-token.provider';
import { CxoneClient } from '../cxone/cxone.client';
import { Clock } from '../common/clock/clock';
import { withTimeout } from '../common/concurrency/with-timeout';

const TOKEN_TIMEOUT_MS = 3000;

/**
 * CXone readiness: a token is held or can be obtained right now. Circuit states are reported as
 * details but do not fail readiness: with CXone down, cached data is still worth serving, and
 * pulling every replica out of the load balancer would turn a partial outage into a full one.
 */
@Injectable()
export class CxoneHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly tokens: CxoneTokenProvider,
    private readonly client: CxoneClient,
    private readonly clock: Clock,
  ) {}

  /**
   * `detailed` adds the failure's message; the public readiness probe never shows it (it can
   * name hosts and upstream answers), the audit:read details route does.
   */
  async check(detailed = false): Promise<HealthIndicatorResult> {
    const session = this.indicators.check('cxone');
    const circuits = this.client.circuits();
    if (this.tokens.status().valid) return session.up({ token: 'valid', circuits });
    try {
      await withTimeout(this.tokens.getToken(), {
        ms: TOKEN_TIMEOUT_MS,
        clock: this.clock,
        what: 'token request',
      });
      return session.up({ token: 'obtained', circuits });
    } catch (err) {
      return session.down({
        token: 'unavailable',
        ...(detailed && { message: (err as Error).message }),
        circuits,
      });
    }
  }
}
