import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { CxoneClient } from '../cxone/cxone.client';
import { ReadinessProbe } from '../cxone/readiness/readiness-probe';

/**
 * CXone readiness: CXone accepted our token at the last authenticated probe (at most one per
 * READINESS_PROBE_INTERVAL_S), or a new one could be granted in time. A revoked token or a
 * token endpoint that hangs is `down`. Circuit states and API outages are reported but do not
 * fail readiness: with CXone down, cached data is still worth serving, and pulling every
 * replica out of the load balancer would turn a partial outage into a full one.
 */
@Injectable()
export class CxoneHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly probe: ReadinessProbe,
    private readonly client: CxoneClient,
  ) {}

  /**
   * `detailed` adds the failure's message and the probe's time; the public readiness probe
   * never shows them (they can name hosts and upstream answers), the audit:read details route does.
   */
  async check(detailed = false): Promise<HealthIndicatorResult> {
    const session = this.indicators.check('cxone');
    const result = await this.probe.current();
    const circuits = this.client.circuits();
    const details = {
      token: result.token,
      circuits,
      ...(detailed && {
        probedAt: new Date(result.at).toISOString(),
        ...(result.message !== undefined && { message: result.message }),
      }),
    };
    return result.up ? session.up(details) : session.down(details);
  }
}
