import type { RouteName } from './faults';
import { failure, json, parseJson, type JsonResult, type SandboxRequest } from './sandbox-http';
import type { SandboxState } from './sandbox-state';

/**
 * A tenant-wide request limit, as an API gateway in front of CXone might enforce one (CXone
 * documents none): a token bucket of `rps` calls per second holding up to `burst`, over every
 * upstream route but the token endpoints. A call beyond it is answered 429 at once — before
 * the simulated latency, as a gateway's limiter rejects without doing the work — with
 * `Retry-After` in whole seconds, rounded up. Off until `POST /_sandbox/rate-limit`.
 */
export interface TenantRateLimitSettings {
  rps: number;
  /** Calls that may come at once after a quiet spell (default: one second's worth). */
  burst: number;
}

const TOKEN_ROUTES: ReadonlySet<RouteName> = new Set(['token', 'icToken', 'icAccessKeyToken']);

class TokenBucketLimit {
  private tokens: number;
  private at: number;
  limited = 0;
  admitted = 0;

  constructor(
    readonly settings: TenantRateLimitSettings,
    now: number,
  ) {
    this.tokens = settings.burst;
    this.at = now;
  }

  /** Takes a token; when none is left, the seconds until one is (for Retry-After). */
  take(now: number): { ok: true } | { ok: false; retryAfterS: number } {
    const { rps, burst } = this.settings;
    this.tokens = Math.min(burst, this.tokens + ((now - this.at) / 1000) * rps);
    this.at = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      this.admitted += 1;
      return { ok: true };
    }
    this.limited += 1;
    return { ok: false, retryAfterS: Math.max(1, Math.ceil((1 - this.tokens) / rps)) };
  }
}

const limits = new WeakMap<SandboxState, TokenBucketLimit>();

/** The 429 to answer instead of handling the call, or undefined when the limit lets it through. */
export function overTenantLimit(state: SandboxState, route: RouteName): JsonResult | undefined {
  const limit = limits.get(state);
  if (!limit || TOKEN_ROUTES.has(route)) return undefined;
  const taken = limit.take(state.now());
  if (taken.ok) return undefined;
  const result = failure(429, 'rate_limited', `Tenant limit of ${limit.settings.rps} requests/s`);
  result.headers = { 'Retry-After': String(taken.retryAfterS) };
  return result;
}

function view(state: SandboxState): JsonResult {
  const limit = limits.get(state);
  if (!limit) return json(200, { rateLimit: null });
  const { settings, admitted, limited } = limit;
  return json(200, { rateLimit: { ...settings, admitted, limited } });
}

function set(state: SandboxState, req: SandboxRequest): JsonResult {
  const body = parseJson(req.body);
  const value = (body.ok ? body.value : undefined) as Partial<TenantRateLimitSettings> | undefined;
  const rps = value?.rps;
  const burst = value?.burst ?? rps;
  if (typeof rps !== 'number' || !(rps > 0) || rps > 100_000)
    return failure(400, 'bad_request', 'rps must be a number in (0, 100000]');
  if (typeof burst !== 'number' || !(burst >= 1) || burst > 1_000_000)
    return failure(400, 'bad_request', 'burst must be a number ≥ 1');
  limits.set(state, new TokenBucketLimit({ rps, burst }, state.now()));
  return view(state);
}

/** `/_sandbox/rate-limit`: GET (settings and counts), POST `{rps, burst?}`, DELETE (off). */
export const TENANT_RATE_LIMIT_CONTROL_ROUTES = {
  'GET /rate-limit': view,
  'POST /rate-limit': set,
  'DELETE /rate-limit': (state: SandboxState): JsonResult => {
    limits.delete(state);
    return view(state);
  },
};
