import { BulkheadRejectedError } from 'cockatiel';
import { AppError } from '../common/errors/app-error';
import { type Clock, type TimeoutSignal, timeoutSignal } from '../common/clock/clock';
import type { ResponseValidator, UpstreamOperation, UpstreamRequest } from './cxone.types';
import { AttemptFailure, toAppError } from './upstream-error';

/** Resilience tunables; production uses the defaults, tests shorten them. */
export interface CxoneResilienceOptions {
  backoffBaseMs: number;
  backoffMaxMs: number;
  breakerThreshold: number;
  halfOpenAfterMs: number;
  rateLimitPenaltyMs: number;
  queueLimit: number;
  /** Uniform [0, 1) source for backoff jitter. */
  random: () => number;
}
export const CXONE_RESILIENCE_OPTIONS = Symbol('CXONE_RESILIENCE_OPTIONS');
export const DEFAULT_RESILIENCE_OPTIONS: CxoneResilienceOptions = {
  backoffBaseMs: 250,
  backoffMaxMs: 8000,
  breakerThreshold: 5,
  halfOpenAfterMs: 10_000,
  rateLimitPenaltyMs: 30_000,
  queueLimit: 10_000,
  random: Math.random,
};

/** One logical operation: its deadline, cancellation and bookkeeping across attempts. */
export interface Operation {
  req: UpstreamRequest;
  idempotent: boolean;
  deadlineAt: number;
  /** Aborts on the deadline or when the caller cancels. */
  signal: AbortSignal;
  deadlineExpired: () => boolean;
  attempts: number;
  authRefreshed: boolean;
  dispose: () => void;
}

/**
 * Starts an operation: its deadline timer (on the clock) and the signal every attempt listens
 * to, which also follows the caller's signal (or its budget's). A call its budget refuses throws
 * here, before anything is sent.
 */
export function startOperation(
  request: UpstreamRequest,
  defaultDeadlineMs: number,
  clock: Clock,
): Operation {
  request.budget?.spend();
  const req = request.budget
    ? { ...request, signal: request.signal ?? request.budget.signal }
    : request;
  const deadlineMs = req.deadlineMs ?? defaultDeadlineMs;
  const deadline = timeoutSignal(clock, deadlineMs, req.signal);
  return {
    req,
    idempotent: req.idempotent ?? req.method === 'GET',
    deadlineAt: clock.now() + deadlineMs,
    signal: deadline.signal,
    deadlineExpired: () => deadline.timedOut(),
    attempts: 0,
    authRefreshed: false,
    dispose: () => deadline.dispose(),
  };
}

/**
 * The signal of one attempt: aborts when its own timeout fires on the clock or when the
 * operation stops (deadline, caller). Handed to the HTTP transport, so the socket really closes.
 * Dispose it once the attempt's answer (or, for a stream, its headers) is in.
 */
export function attemptSignal(op: Operation, timeoutMs: number, clock: Clock): TimeoutSignal {
  return timeoutSignal(clock, Math.max(1, timeoutMs), op.signal);
}

/** Caller cancellation and an expired deadline stop the operation (no more attempts). */
export function throwIfStopped(op: Operation): void {
  const callerSignal = op.req.signal;
  if (callerSignal?.aborted) {
    const reason: unknown = callerSignal.reason;
    if (reason instanceof AppError) throw reason;
    throw new AppError('UPSTREAM_ERROR', `CXone ${op.req.operation} was cancelled by the caller`);
  }
  if (op.deadlineExpired()) {
    throw new AttemptFailure('timeout', op.req.operation, {
      reason: 'operation deadline exceeded',
    });
  }
}

/** Whatever ended an operation, as the AppError its caller sees. */
export function operationError(op: Operation, err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof AttemptFailure) return toAppError(err);
  if (err instanceof BulkheadRejectedError) {
    return new AppError('RATE_LIMITED', `too many CXone ${op.req.operation} calls waiting`, {
      retryAfterS: 1,
    });
  }
  // Anything else stopped by cancellation (an aborted wait, cockatiel's TaskCancelledError).
  try {
    throwIfStopped(op);
  } catch (stopped) {
    return operationError(op, stopped);
  }
  return new AppError(
    'UPSTREAM_ERROR',
    `unexpected failure calling CXone for ${op.req.operation}`,
    { cause: err },
  );
}

/** Checks a 2xx body before anyone uses it: it must be JSON and pass the caller's validator. */
export function checkBody<T>(
  operation: UpstreamOperation,
  res: { body?: unknown; bodyParsed?: boolean },
  validate: ResponseValidator<T> | undefined,
  redact: (text: string) => string,
): T {
  const text = typeof res.body === 'string' ? res.body.trim() : undefined;
  // A text answer (or a bare JSON string) in place of data, e.g. CXone's "No known way to render
  // data" when it could not honour Accept: a protocol error, never data.
  if (text !== undefined && !/^[[{]/.test(text)) {
    const said = redact(text.replace(/^"|"$/g, '').replace(/\s+/g, ' ')).slice(0, 80);
    throw new AppError(
      'UPSTREAM_ERROR',
      `CXone answered ${operation} with text instead of JSON${said ? `: ${said}` : ''}`,
    );
  }
  if (res.bodyParsed === false) {
    throw new AppError('UPSTREAM_ERROR', `malformed JSON from CXone for ${operation}`);
  }
  if (!validate) return res.body as T;
  try {
    return validate(res.body);
  } catch (err) {
    // The validator's reason helps whoever reads the error; it is redacted like any upstream text.
    const why = redact(err instanceof Error ? err.message : '').slice(0, 200);
    throw new AppError(
      'UPSTREAM_ERROR',
      `unexpected response shape from CXone for ${operation}${why ? `: ${why}` : ''}`,
      { cause: err },
    );
  }
}
