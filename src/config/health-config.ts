import { Env, readInt } from './env-parsers';

/** How readiness checks CXone without user traffic (src/cxone/readiness). */
export interface HealthConfig {
  /**
   * READINESS_PROBE_INTERVAL_S: at most one authenticated upstream probe per this many seconds;
   * readiness calls in between answer from the last probe.
   */
  readinessProbeIntervalS: number;
  /**
   * READINESS_PROBE_TIMEOUT_MS: how long one probe (token refresh included) may take before
   * readiness stops waiting for it; a token that cannot be refreshed in time is `down`.
   */
  readinessProbeTimeoutMs: number;
}

export function parseHealthConfig(env: Env): HealthConfig {
  return {
    readinessProbeIntervalS: readInt(env, 'READINESS_PROBE_INTERVAL_S', 30, {
      min: 1,
      max: 3600,
    }),
    readinessProbeTimeoutMs: readInt(env, 'READINESS_PROBE_TIMEOUT_MS', 3000, {
      min: 100,
      max: 60_000,
    }),
  };
}
