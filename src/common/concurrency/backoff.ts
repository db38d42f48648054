/**
 * Retry timing as pure functions: the retry policy asks them how long to wait, so the maths is
 * tested with an injected random source and clock instead of sleeps.
 */

export interface BackoffOptions {
  /** First backoff ceiling in ms (attempt 1 waits up to this). */
  baseMs: number;
  /** Largest backoff ceiling in ms, whatever the attempt. */
  maxMs: number;
  /** A source of uniform numbers in [0, 1); Math.random in production. */
  random: () => number;
}

/**
 * Exponential backoff with FULL jitter (AWS architecture blog): a uniform wait in
 * [0, min(maxMs, baseMs·2^(attempt-1))). Full jitter spreads a crowd of retrying callers best.
 * `attempt` counts retries from 1.
 */
export function fullJitterBackoffMs(attempt: number, opts: BackoffOptions): number {
  const exponent = Math.max(0, attempt - 1);
  const ceiling = Math.min(opts.maxMs, opts.baseMs * 2 ** exponent);
  return Math.floor(opts.random() * ceiling);
}

/**
 * Parses a Retry-After header (delta-seconds or an HTTP date) into milliseconds from `nowMs`.
 * Returns undefined when absent or unparseable, 0 for a date in the past.
 */
export function parseRetryAfterMs(header: string | undefined, nowMs: number): number | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (value === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  // An HTTP date always names a day and month; this keeps Date.parse from reading "-3" as a year.
  if (!/[a-z]/i.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

export interface RetryDelayInput {
  /** Retry number, from 1. */
  attempt: number;
  /** What CXone asked for (Retry-After), a minimum wait. */
  retryAfterMs?: number;
  /** Epoch ms by which the whole operation must be done. */
  deadlineAt: number;
  nowMs: number;
}

export type RetryDelayDecision =
  | { kind: 'wait'; delayMs: number }
  /** CXone asked for a wait that ends after our deadline: fail now, tell the caller when. */
  | { kind: 'retryAfterExceedsDeadline'; retryAfterMs: number }
  /** The backoff alone would use up the deadline: no time left for another attempt. */
  | { kind: 'noTimeLeft' };

/**
 * Decides the wait before the next attempt: the jittered backoff, raised to Retry-After when
 * CXone sent one, and never beyond the operation's deadline.
 */
export function planRetryDelay(input: RetryDelayInput, opts: BackoffOptions): RetryDelayDecision {
  const remaining = input.deadlineAt - input.nowMs;
  if (input.retryAfterMs !== undefined && input.retryAfterMs >= remaining) {
    return { kind: 'retryAfterExceedsDeadline', retryAfterMs: input.retryAfterMs };
  }
  const jittered = fullJitterBackoffMs(input.attempt, opts);
  const delayMs = Math.max(jittered, input.retryAfterMs ?? 0);
  if (delayMs >= remaining) return { kind: 'noTimeLeft' };
  return { kind: 'wait', delayMs };
}
