import { AppError } from '../../common/errors/app-error';
import { Clock, timeoutSignal } from '../../common/clock/clock';
import type { MetricsService } from '../../observability/metrics.service';
import { CxoneHttp, HttpResult, describeNetworkError } from '../cxone-http';
import type { GrantHttp, GrantRequest } from './token-grant';

/**
 * The HTTP a grant uses, with the token provider's policies: every call says it wants JSON, has
 * the per-call timeout (on the clock), is counted as operation `token`, and a transport failure
 * becomes UPSTREAM_UNAVAILABLE naming the step. No retries here: the client's retry of
 * UPSTREAM_UNAVAILABLE is the one retry layer.
 */
export class GrantTransport implements GrantHttp {
  constructor(
    private readonly http: CxoneHttp,
    private readonly clock: Clock,
    private readonly metrics: MetricsService,
    private readonly timeoutMs: number,
  ) {}

  async send(request: GrantRequest): Promise<HttpResult> {
    const started = this.clock.now();
    const timeout = timeoutSignal(this.clock, this.timeoutMs);
    const headers: Record<string, string> = { Accept: 'application/json', ...request.headers };
    if (request.form) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    try {
      const res = await this.http.send({
        method: request.method,
        url: request.url,
        params: request.query,
        data: request.form?.toString(),
        headers,
        signal: timeout.signal,
      });
      this.observe(started, outcomeOf(res.status));
      return res;
    } catch (err) {
      const timedOut = timeout.timedOut() || (err as Error).name === 'CanceledError';
      this.observe(started, timedOut ? 'timeout' : 'network');
      const reason = timedOut ? `no answer within ${this.timeoutMs} ms` : describeNetworkError(err);
      // The axios error is not kept as `cause`: its config carries the credentials.
      throw new AppError(
        'UPSTREAM_UNAVAILABLE',
        `CXone ${request.step} is unreachable (${reason})`,
      );
    } finally {
      timeout.dispose();
    }
  }

  private observe(startedMs: number, outcome: string): void {
    this.metrics.upstreamCalls.inc({ operation: 'token', outcome });
    this.metrics.upstreamDuration.observe(
      { operation: 'token' },
      (this.clock.now() - startedMs) / 1000,
    );
  }
}

function outcomeOf(status: number): string {
  if (status >= 200 && status < 300) return 'ok';
  if (status === 429) return 'rate_limited';
  return status >= 500 ? 'http_5xx' : 'http_4xx';
}
