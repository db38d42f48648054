import type { Clock } from '../clock/clock';

/** Thrown by withTimeout when the deadline passes first. */
export class TimeoutError extends Error {
  constructor(
    readonly what: string,
    readonly ms: number,
  ) {
    super(`${what} timed out after ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

/**
 * Settles like `promise`, or rejects with TimeoutError after `ms` on the clock, whichever comes
 * first. The promise itself is not cancelled (pass an AbortSignal to it for that); the timer is
 * always cleared, so nothing is left pending.
 */
export async function withTimeout<T>(
  promise: Promise<T>,
  options: { ms: number; clock: Clock; what?: string },
): Promise<T> {
  const { ms, clock, what = 'operation' } = options;
  const controller = new AbortController();
  const timeout = clock
    .sleep(ms, controller.signal)
    .then(() => Promise.reject(new TimeoutError(what, ms)));
  // The losing branch must not surface as an unhandled rejection.
  timeout.catch(() => undefined);
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    controller.abort();
  }
}
