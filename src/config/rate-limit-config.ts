import { ConfigError, Env } from './env-parsers';

/**
 * One token bucket: `rps` tokens a second refill it up to `burst`; a request takes one.
 * `rps` 0 turns the limit off.
 */
export interface RateSpec {
  rps: number;
  burst: number;
}

/** The two limits every API key has: all its requests, and those that bypass the cache. */
export interface KeyRateLimits {
  requests: RateSpec;
  bypass: RateSpec;
}

/** A key's own limits in API_KEYS (`rateLimit`); whatever it leaves out comes from the env. */
export interface ApiKeyRateLimit {
  rps?: number;
  burst?: number;
  bypassRps?: number;
  bypassBurst?: number;
}

export interface RateLimitConfig {
  /** RATE_LIMIT_*: the limits of a key that names none of its own. */
  defaults: KeyRateLimits;
}

export const DEFAULT_RATE_LIMIT_RPS = 50;
export const DEFAULT_RATE_LIMIT_BYPASS_RPS = 2;
/**
 * Burst when none is given, in seconds of the rate: requests may arrive together (a Power BI
 * refresh sends its queries at once), refreshes are rarer and each costs upstream calls.
 */
const BURST_SECONDS = 2;
const BYPASS_BURST_SECONDS = 5;
const FIELDS: readonly (keyof ApiKeyRateLimit)[] = ['rps', 'burst', 'bypassRps', 'bypassBurst'];

/** RATE_LIMIT_RPS / _BURST / _BYPASS_RPS / _BYPASS_BURST. */
export function parseRateLimitConfig(env: Env): RateLimitConfig {
  const rps = readRate(env, 'RATE_LIMIT_RPS', DEFAULT_RATE_LIMIT_RPS);
  const bypassRps = readRate(env, 'RATE_LIMIT_BYPASS_RPS', DEFAULT_RATE_LIMIT_BYPASS_RPS);
  return {
    defaults: {
      requests: { rps, burst: readBurst(env, 'RATE_LIMIT_BURST', burstOf(rps, BURST_SECONDS)) },
      bypass: {
        rps: bypassRps,
        burst: readBurst(env, 'RATE_LIMIT_BYPASS_BURST', burstOf(bypassRps, BYPASS_BURST_SECONDS)),
      },
    },
  };
}

/**
 * A key's limits: its own fields over the defaults. A key that sets a rate but no burst gets
 * the burst of that rate (not the default burst, which belongs to the default rate).
 */
export function limitsOf(own: ApiKeyRateLimit | undefined, defaults: KeyRateLimits): KeyRateLimits {
  if (!own) return defaults;
  const spec = (
    rps: number | undefined,
    burst: number | undefined,
    fallback: RateSpec,
    s: number,
  ) =>
    rps === undefined
      ? { rps: fallback.rps, burst: burst ?? fallback.burst }
      : { rps, burst: burst ?? burstOf(rps, s) };
  return {
    requests: spec(own.rps, own.burst, defaults.requests, BURST_SECONDS),
    bypass: spec(own.bypassRps, own.bypassBurst, defaults.bypass, BYPASS_BURST_SECONDS),
  };
}

/** Validates an API_KEYS entry's `rateLimit`; `where` names the entry in every message. */
export function parseApiKeyRateLimit(value: unknown, where: string): ApiKeyRateLimit | undefined {
  if (value === undefined) return undefined;
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(
      'API_KEYS',
      `${where}: rateLimit must be an object of ${FIELDS.join(', ')}`,
    );
  }
  const entry = value as Record<string, unknown>;
  const unknown = Object.keys(entry).filter((k) => !(FIELDS as readonly string[]).includes(k));
  if (unknown.length) {
    throw new ConfigError(
      'API_KEYS',
      `${where}: rateLimit has unknown field ${unknown.join(', ')} (allowed: ${FIELDS.join(', ')})`,
    );
  }
  const out: ApiKeyRateLimit = {};
  for (const field of FIELDS) {
    const v = entry[field];
    if (v === undefined) continue;
    const isBurst = field === 'burst' || field === 'bypassBurst';
    const ok =
      typeof v === 'number' &&
      Number.isFinite(v) &&
      (isBurst ? Number.isInteger(v) && v >= 1 : v >= 0);
    if (!ok) {
      throw new ConfigError(
        'API_KEYS',
        `${where}: rateLimit.${field} must be ${isBurst ? 'an integer ≥ 1' : 'a number ≥ 0 (0: no limit)'}`,
      );
    }
    out[field] = v;
  }
  return out;
}

function burstOf(rps: number, seconds: number): number {
  return Math.max(1, Math.ceil(rps * seconds));
}

function readRate(env: Env, name: string, fallback: number): number {
  const value = env[name]?.trim();
  if (!value) return fallback;
  if (!/^\d+(\.\d+)?$/.test(value)) {
    throw new ConfigError(
      name,
      `must be a number ≥ 0 (requests per second; 0: no limit), got "${value}"`,
    );
  }
  return Number(value);
}

function readBurst(env: Env, name: string, fallback: number): number {
  const value = env[name]?.trim();
  if (!value) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new ConfigError(name, `must be an integer ≥ 1, got "${value}"`);
  }
  return Number(value);
}
