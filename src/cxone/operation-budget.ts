import { setMaxListeners } from 'node:events';
import { AppError } from '../common/errors/app-error';
import { type Clock, timeoutSignal } from '../common/clock/clock';

/** What bounds one logical upstream operation (all pages and windows of one request). */
export interface OperationBudgetOptions {
  clock: Clock;
  /** The whole operation's deadline, on the clock. */
  deadlineMs: number;
  /** The most upstream calls the operation may cost. */
  maxCalls: number;
  /** Aborts when the caller goes away (the client closed its connection). */
  caller?: AbortSignal;
  /** What runs, as messages name it, e.g. "this state history". */
  what: string;
  /** The variable that sets `maxCalls`, named in the refusal. */
  limitName: string;
  /** The variable that sets the deadline, named when it expires. */
  deadlineName: string;
  /** What the caller can shrink, e.g. "request a shorter range (start/end)". */
  shrink: string;
}

/**
 * The bounds of one request's upstream work. `signal` aborts on the deadline (reason: a 504
 * UPSTREAM_TIMEOUT naming the limit) or when the caller leaves (reason: CallerGoneError); it is
 * handed to every CxoneClient call, so waits in the rate budget, backoffs and sockets all stop.
 * `refuseIfMore` turns a known size into a 422 before the work starts.
 */
export class OperationBudget {
  readonly signal: AbortSignal;
  private calls = 0;
  private readonly deadline;

  constructor(private readonly opts: OperationBudgetOptions) {
    const controller = new AbortController();
    this.deadline = timeoutSignal(opts.clock, opts.deadlineMs, opts.caller);
    const forward = (): void => {
      const fired = this.deadline.timedOut();
      controller.abort(fired ? this.deadlineError() : callerReason(opts.caller));
    };
    if (this.deadline.signal.aborted) forward();
    else this.deadline.signal.addEventListener('abort', forward, { once: true });
    // Every call in flight listens to it (one listener each): many more than Node's default 10.
    setMaxListeners(10_000, controller.signal);
    this.signal = controller.signal;
  }

  /** Upstream calls counted so far. */
  get spent(): number {
    return this.calls;
  }

  get maxCalls(): number {
    return this.opts.maxCalls;
  }

  /** Counts one upstream call; the one past the limit is refused (a 422, nothing sent). */
  spend(): void {
    this.throwIfStopped();
    if (this.calls >= this.opts.maxCalls) throw this.tooBig(this.calls + 1, false);
    this.calls += 1;
  }

  /** Refuses up front (422) an operation estimated to cost more calls than the limit. */
  refuseIfMore(estimatedCalls: number): void {
    if (estimatedCalls > this.opts.maxCalls) throw this.tooBig(estimatedCalls, true);
  }

  throwIfStopped(): void {
    if (this.signal.aborted) throw this.signal.reason as Error;
  }

  /** Stops the deadline timer; call when the operation has ended either way. */
  dispose(): void {
    this.deadline.dispose();
  }

  private tooBig(calls: number, estimated: boolean): AppError {
    const { maxCalls, what, limitName, shrink } = this.opts;
    const cost = estimated ? `would need about ${calls}` : `needs more than ${maxCalls}`;
    return new AppError(
      'UNPROCESSABLE',
      `${what} ${cost} upstream calls; the limit is ${maxCalls} (${limitName}): ${shrink}`,
      {
        extensions: {
          limit: { name: limitName, value: maxCalls },
          ...(estimated ? { estimatedUpstreamCalls: calls } : {}),
          shrink,
        },
      },
    );
  }

  private deadlineError(): AppError {
    const { deadlineMs, what, deadlineName, shrink } = this.opts;
    return new AppError(
      'UPSTREAM_TIMEOUT',
      `${what} did not finish within ${deadlineMs} ms (${deadlineName}): ${shrink}`,
      { extensions: { limit: { name: deadlineName, value: deadlineMs }, shrink } },
    );
  }
}

/**
 * The client closed its connection before the answer was ready. Nobody reads the answer; the
 * audit records the request as aborted (499). A 4xx code so it never counts as an upstream
 * fault, is never retried and never turns into a stale answer.
 */
export class CallerGoneError extends AppError {
  constructor() {
    super('MALFORMED_REQUEST', 'the client closed the connection before the answer was ready', {
      extensions: { clientClosed: true },
    });
    this.name = 'CallerGoneError';
  }
}

function callerReason(caller: AbortSignal | undefined): Error {
  const reason: unknown = caller?.reason;
  return reason instanceof AppError ? reason : new CallerGoneError();
}
