import { Injectable } from '@nestjs/common';

/** A callback scheduled on a Clock. `cancel` stops it if it has not run yet (idempotent). */
export interface ClockTimer {
  cancel(): void;
}

/**
 * Time as a dependency, so every timer that decides behaviour (deadlines, per-attempt timeouts,
 * breaker half-open, TTLs, backoff) is testable with a fake clock instead of sleeps.
 */
export abstract class Clock {
  /** Milliseconds since the epoch. */
  abstract now(): number;

  /** Runs `fn` once, `ms` from now (never synchronously), unless cancelled first. */
  abstract setTimer(ms: number, fn: () => void): ClockTimer;

  /** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason as Error);
      const onAbort = (): void => {
        timer.cancel();
        reject(signal?.reason as Error);
      };
      const timer = this.setTimer(ms, () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

@Injectable()
export class SystemClock extends Clock {
  now(): number {
    return Date.now();
  }

  setTimer(ms: number, fn: () => void): ClockTimer {
    const timer = setTimeout(fn, Math.max(0, ms));
    return { cancel: () => clearTimeout(timer) };
  }
}

/** An AbortSignal that a Clock aborts after a while, and the way to call that off. */
export interface TimeoutSignal {
  readonly signal: AbortSignal;
  /** True once the clock (not the parent) aborted the signal. */
  timedOut(): boolean;
  /** Cancels the timer and detaches from the parent; the signal stays as it is. */
  dispose(): void;
}

/**
 * Like `AbortSignal.timeout(ms)` but on `clock`, and following `parent` when given: the signal
 * aborts when the timer fires (reason: a TimeoutError DOMException) or when the parent aborts
 * (the parent's reason). Handing it to the HTTP client really closes the socket.
 */
export function timeoutSignal(clock: Clock, ms: number, parent?: AbortSignal): TimeoutSignal {
  const controller = new AbortController();
  let fired = false;
  const onParentAbort = (): void => {
    timer.cancel();
    controller.abort(parent?.reason);
  };
  const timer = clock.setTimer(ms, () => {
    fired = true;
    parent?.removeEventListener('abort', onParentAbort);
    controller.abort(new DOMException(`timed out after ${ms} ms`, 'TimeoutError'));
  });
  if (parent?.aborted) onParentAbort();
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => fired,
    dispose: () => {
      timer.cancel();
      parent?.removeEventListener('abort', onParentAbort);
    },
  };
}
