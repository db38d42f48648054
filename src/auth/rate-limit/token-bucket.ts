import type { RateSpec } from '../../config/rate-limit-config';

/** What a bucket answered: tokens granted, and when none, the ms until the next whole one. */
export interface Take {
  granted: number;
  retryMs: number;
  /** Whole tokens left after this take. */
  remaining: number;
}

/** A bucket's state: tokens held (fractional while refilling) as of `at` (epoch ms). */
export interface BucketState {
  tokens: number;
  at: number;
}

/**
 * The token bucket every limit uses, in memory. The same arithmetic as TAKE_TOKENS_SCRIPT (its
 * Redis twin), so a replica that falls back to memory decides as Redis would: refill by the time
 * since `at` (never backwards), grant whole tokens up to `want`.
 */
export function takeTokens(state: BucketState, spec: RateSpec, want: number, now: number): Take {
  if (now > state.at) {
    state.tokens = Math.min(spec.burst, state.tokens + ((now - state.at) * spec.rps) / 1000);
    state.at = now;
  }
  const granted = Math.min(want, Math.floor(state.tokens));
  if (granted > 0) {
    state.tokens -= granted;
    return { granted, retryMs: 0, remaining: Math.floor(state.tokens) };
  }
  return {
    granted: 0,
    retryMs: Math.ceil(((1 - state.tokens) * 1000) / spec.rps),
    remaining: 0,
  };
}

/** A full bucket, as a key that has not been seen (or not for a full refill) starts. */
export function fullBucket(spec: RateSpec, now: number): BucketState {
  return { tokens: spec.burst, at: now };
}

/** How long a bucket takes to refill from empty: after that, a forgotten one is a full one. */
export function refillMs(spec: RateSpec): number {
  return Math.ceil((spec.burst / spec.rps) * 1000);
}
