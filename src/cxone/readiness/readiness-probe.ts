import type { Clock } from '../../common/clock/clock';
import { AppError } from '../../common/errors/app-error';
import { TimeoutError, withTimeout } from '../../common/concurrency/with-timeout';
import type { UpstreamRequest } from '../cxone.types';
import type { AuthProbeCall } from './auth-probe-call';
import { SingleFlight } from '../../common/concurrency/single-flight';

/**
 * What the last probe learnt. `token`: `accepted` (CXone answered the probe with our token),
 * `unconfirmed` (the API did not answer, e.g. 5xx or a hang, while a token is held: readiness
 * stays up, as CXone outages are the circuits' business), `rejected` (401 even to a freshly
 * granted token), `unavailable` (no token could be obtained in time).
 */
export interface ReadinessProbeResult {
  up: boolean;
  token: 'accepted' | 'unconfirmed' | 'rejected' | 'unavailable';
  /** When the probe finished (epoch ms, on the clock). */
  at: number;
  /** Failure text for /health/details only (can name hosts and upstream answers). */
  message?: string;
}

/** The parts of the upstream layer the probe uses (CxoneClient, CxoneTokenProvider). */
export interface ReadinessProbeDeps {
  client: { request(req: UpstreamRequest): Promise<unknown> };
  tokens: { status(): { valid: boolean } };
  call: AuthProbeCall;
  clock: Clock;
  /** At most one probe per this long; readiness answers from the last one in between. */
  intervalMs: number;
  /** One probe, a token refresh included, may take this long. */
  timeoutMs: number;
}

/**
 * Readiness's view of CXone, kept current without user traffic: an authenticated call through
 * the normal client (so a 401 invalidates the token and refreshes it once, as for any call),
 * at most once per interval, one probe shared by every caller while it runs. A token that was
 * revoked upstream, or a token endpoint that hangs, is noticed by the next probe instead of by
 * the next user's request.
 */
export class ReadinessProbe {
  private last: ReadinessProbeResult | undefined;
  /** Readiness calls that arrive while a probe runs wait for that one. */
  private readonly flight = new SingleFlight<ReadinessProbeResult>();

  constructor(private readonly deps: ReadinessProbeDeps) {}

  /**
   * The last result while it is younger than the interval; otherwise the next probe's (started
   * now or joined). A result that said up is not trusted once the token is gone locally (a user
   * call got a 401 and could not refresh it): that is exactly what a probe is for.
   */
  current(): Promise<ReadinessProbeResult> {
    const { last } = this;
    const now = this.deps.clock.now();
    const fresh = last !== undefined && now - last.at < this.deps.intervalMs;
    const tokenLost = last?.up === true && !this.deps.tokens.status().valid;
    if (fresh && !tokenLost) return Promise.resolve(last);
    return this.probeOnce();
  }

  /** The last result without probing (undefined before the first probe). */
  peek(): ReadinessProbeResult | undefined {
    return this.last;
  }

  private probeOnce(): Promise<ReadinessProbeResult> {
    return this.flight.run('probe', () => this.probe().then((result) => (this.last = result)));
  }

  private async probe(): Promise<ReadinessProbeResult> {
    const { client, call, clock, timeoutMs } = this.deps;
    const abort = new AbortController();
    try {
      // The client's deadline and our timeout agree; the timeout also covers a hung token grant,
      // which the client's signal does not cut short.
      const sent = client.request({
        ...call.request(),
        deadlineMs: timeoutMs,
        signal: abort.signal,
      });
      await withTimeout(sent, { ms: timeoutMs, clock, what: 'readiness probe' });
      return this.result(true, 'accepted');
    } catch (err) {
      abort.abort();
      return this.verdict(err);
    }
  }

  private verdict(err: unknown): ReadinessProbeResult {
    const status = upstreamStatus(err);
    const message = (err as Error).message;
    // First: a 401 already dropped the token, so a failed or hung refresh leaves none.
    if (!this.deps.tokens.status().valid) {
      const why =
        err instanceof TimeoutError
          ? `no CXone token: the token request did not finish within ${err.ms} ms`
          : `no CXone token: ${message}`;
      return this.result(false, 'unavailable', why);
    }
    // The client refreshes once on a 401; a second one is for the token it has just been granted.
    if (status === 401)
      return this.result(false, 'rejected', `CXone rejected a freshly granted token: ${message}`);
    // Any other answer CXone gave (403, 404, …) came through authentication: the token works.
    if (status !== undefined && status < 500 && status !== 408 && status !== 429)
      return this.result(true, 'accepted');
    return this.result(true, 'unconfirmed', `readiness probe failed: ${message}`);
  }

  private result(
    up: boolean,
    token: ReadinessProbeResult['token'],
    message?: string,
  ): ReadinessProbeResult {
    return { up, token, at: this.deps.clock.now(), ...(message !== undefined && { message }) };
  }
}

/** The HTTP status CXone answered the failed call with, when it answered at all. */
function upstreamStatus(err: unknown): number | undefined {
  if (!(err instanceof AppError)) return undefined;
  const upstream = err.extensions?.upstream as { status?: unknown } | undefined;
  return typeof upstream?.status === 'number' && upstream.status > 0 ? upstream.status : undefined;
}
