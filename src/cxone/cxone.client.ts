import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { CxoneTokenProvider } from './token/cxone-token.provider';
import { AppError } from '../common/errors/app-error';
import { Clock } from '../common/clock/clock';
import { RedisService } from '../common/redis/redis.service';
import { APP_CONFIG } from '../config/config.constants';
import type { AppConfig } from '../config/app-config.types';
import { MetricsService } from '../observability/metrics.service';
import { createRedactor } from '../observability/redact';
import { parseRetryAfterMs, planRetryDelay } from '../common/concurrency/backoff';
import {
  CircuitBreakers,
  CircuitOpenError,
  CircuitStateName,
  OPERATION_GROUPS,
} from './circuit-breakers';
import { CxoneHttp, HttpCall, cancelWith, describeNetworkError, readErrorBody } from './cxone-http';
import type {
  ResponseValidator,
  UpstreamOperation,
  UpstreamRequest,
  UpstreamResponse,
  UpstreamStreamResponse,
} from './cxone.types';
import { BudgetSnapshot, UpstreamBudget } from './rate-budget';
import {
  AttemptFailure,
  AttemptOutcome,
  extractUpstreamMessage,
  retryAfterTooLongError,
} from './upstream-error';
import {
  CXONE_RESILIENCE_OPTIONS,
  CxoneResilienceOptions,
  DEFAULT_RESILIENCE_OPTIONS,
  Operation,
  attemptSignal,
  checkBody,
  operationError,
  startOperation,
  throwIfStopped,
} from './upstream-operation';

/** The last upstream failure, for the status endpoint. */
export interface UpstreamLastError {
  at: string;
  operation: UpstreamOperation;
  message: string;
  /** CXone's CorrelationId of the failed answer, when it sent one. */
  correlationId?: string;
}

/** What one attempt's transport returned, before classification. */
interface Sent {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
  bodyParsed?: boolean;
  stream?: Readable;
}
type Send<R extends Sent> = (call: HttpCall) => Promise<R>;

/**
 * The only code that calls CXone's API. Every call gets a bearer token, a per-attempt timeout
 * whose AbortSignal really closes the socket, a total deadline, retries with full-jitter backoff
 * honouring Retry-After (idempotent calls only, one layer), a circuit breaker per capability, the
 * upstream rate budget, one token refresh on 401, and errors mapped to AppError codes.
 */
@Injectable()
export class CxoneClient {
  private readonly logger = new Logger('CxoneClient');
  private readonly options: CxoneResilienceOptions;
  private readonly breakers: CircuitBreakers;
  private readonly rateBudget: UpstreamBudget;
  private readonly redact: (text: string) => string;
  private last: UpstreamLastError | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    redis: RedisService,
    private readonly metrics: MetricsService,
    private readonly tokens: CxoneTokenProvider,
    private readonly http: CxoneHttp,
    @Optional() @Inject(CXONE_RESILIENCE_OPTIONS) options?: Partial<CxoneResilienceOptions>,
  ) {
    this.options = { ...DEFAULT_RESILIENCE_OPTIONS, ...options };
    const o = this.options;
    this.breakers = new CircuitBreakers(
      { threshold: o.breakerThreshold, halfOpenAfterMs: o.halfOpenAfterMs },
      clock,
    );
    const { maxRps, maxConcurrency } = config.cxone;
    this.rateBudget = new UpstreamBudget(
      { maxRps, maxConcurrency, queueLimit: o.queueLimit },
      clock,
      redis,
    );
    this.redact = createRedactor(config.secrets);
  }

  /** Calls CXone and returns its JSON body, checked by `validate` when given. */
  async request<T>(
    req: UpstreamRequest,
    validate?: ResponseValidator<T>,
  ): Promise<UpstreamResponse<T>> {
    const op = startOperation(req, this.config.cxone.deadlineMs, this.clock);
    try {
      const res = await this.run(op, (call) => this.http.send(call));
      const data = checkBody<T>(op.req.operation, res, validate, this.redact);
      return { status: res.status, headers: res.headers, data, attempts: op.attempts };
    } catch (err) {
      throw this.fail(op, err);
    } finally {
      op.dispose();
    }
  }

  /**
   * Calls CXone and returns the raw (still compressed) body stream once headers arrive. The
   * per-attempt timeout covers the wait for headers only; the caller's signal still cancels the
   * download afterwards.
   */
  async stream(req: UpstreamRequest): Promise<UpstreamStreamResponse> {
    const op = startOperation(req, this.config.cxone.deadlineMs, this.clock);
    try {
      const res = await this.run(op, (call) => this.http.stream(call));
      cancelWith(res.stream, req.signal);
      return { status: res.status, headers: res.headers, stream: res.stream };
    } catch (err) {
      throw this.fail(op, err);
    } finally {
      op.dispose();
    }
  }

  circuits(): Record<(typeof OPERATION_GROUPS)[number], CircuitStateName> {
    return this.breakers.states();
  }

  budget(): BudgetSnapshot {
    return this.rateBudget.snapshot();
  }

  lastError(): UpstreamLastError | null {
    return this.last ?? null;
  }

  // ---- operation lifecycle --------------------------------------------------------------

  /**
   * The one retry layer around attempts: bounded attempts, the backoff decides each wait (on the
   * clock, cut short by the deadline or the caller) and gives up early when time runs out.
   */
  private async run<R extends Sent>(op: Operation, send: Send<R>): Promise<R> {
    const retries = Math.max(0, this.config.cxone.maxAttempts - 1);
    for (let retry = 1; ; retry++) {
      try {
        return await this.attempt(op, send);
      } catch (err) {
        if (retry > retries || !(err instanceof Error) || !this.shouldRetry(op, err)) throw err;
        await this.clock.sleep(this.nextDelay(op, retry, err), op.signal);
      }
    }
  }

  private shouldRetry(op: Operation, err: Error): boolean {
    if (op.signal.aborted) return false;
    // The token endpoint failing means our request was never sent: safe for any method.
    if (err instanceof AppError) return err.code === 'UPSTREAM_UNAVAILABLE';
    if (!(err instanceof AttemptFailure) || !err.transient) return false;
    // A 429 or a refused connection means CXone did not process the request (docs/upstream-v2.md §conventions).
    const notProcessed = err.status === 429 || err.detail.reason === 'ECONNREFUSED';
    return op.idempotent || notProcessed;
  }

  /** The wait before retry number `retry` (from 1), or the error to end the operation with. */
  private nextDelay(op: Operation, retry: number, err: Error): number {
    const retryAfterMs =
      err instanceof AttemptFailure
        ? err.detail.retryAfterMs
        : err instanceof AppError && err.retryAfterS !== undefined
          ? err.retryAfterS * 1000
          : undefined;
    const decision = planRetryDelay(
      { attempt: retry, retryAfterMs, deadlineAt: op.deadlineAt, nowMs: this.clock.now() },
      {
        baseMs: this.options.backoffBaseMs,
        maxMs: this.options.backoffMaxMs,
        random: this.options.random,
      },
    );
    switch (decision.kind) {
      case 'wait':
        this.logger.debug(`${op.req.operation}: retry ${retry} in ${decision.delayMs} ms`);
        return decision.delayMs;
      case 'retryAfterExceedsDeadline':
        throw err instanceof AttemptFailure
          ? retryAfterTooLongError(err, decision.retryAfterMs)
          : err;
      case 'noTimeLeft':
        throw err;
    }
  }

  /** One attempt: token, circuit, budget, HTTP; a 401 refreshes the token and resends once. */
  private async attempt<R extends Sent>(op: Operation, send: Send<R>): Promise<R> {
    throwIfStopped(op);
    const token = await this.tokens.getToken();
    try {
      return await this.guarded(op, token, send);
    } catch (err) {
      if (!(err instanceof AttemptFailure) || err.status !== 401 || op.authRefreshed) throw err;
      // A 401 means CXone did not process the call, so resending is safe for any method.
      op.authRefreshed = true;
      this.tokens.invalidate(token);
      return this.guarded(op, await this.tokens.getToken(), send);
    }
  }

  private async guarded<R extends Sent>(op: Operation, token: string, send: Send<R>): Promise<R> {
    const breaker = this.breakers.policyFor(op.req.operation);
    try {
      return await breaker.execute(
        () =>
          this.rateBudget.run(() => this.sendOnce(op, token, send), op.signal, op.req.operation),
        op.signal,
      );
    } catch (err) {
      if (!(err instanceof CircuitOpenError)) throw err;
      this.metrics.upstreamCalls.inc({ operation: op.req.operation, outcome: 'circuit_open' });
      const retryAfterS = this.breakers.retryAfterS(op.req.operation);
      throw new AppError(
        'CIRCUIT_OPEN',
        `CXone ${op.req.operation} calls are paused after repeated upstream failures; retry in ${retryAfterS}s`,
        { retryAfterS },
      );
    }
  }

  /** One HTTP exchange under the per-attempt timeout (capped by what the deadline leaves). */
  private async sendOnce<R extends Sent>(op: Operation, token: string, send: Send<R>): Promise<R> {
    throwIfStopped(op);
    const timeoutMs = Math.min(this.config.cxone.timeoutMs, op.deadlineAt - this.clock.now());
    // Disposed once the answer is in: a stream's body outlives this attempt and is not aborted.
    const attempt = attemptSignal(op, timeoutMs, this.clock);
    const started = this.clock.now();
    op.attempts += 1;
    let res: R;
    try {
      res = await send(this.httpCall(op, token, attempt.signal));
    } catch (err) {
      const failure = this.transportFailure(op, err, timeoutMs);
      this.record(op, started, failure.outcome, failure.kind);
      throw failure;
    } finally {
      attempt.dispose();
    }
    const failure = await this.classify(op, res);
    this.record(op, started, failure?.outcome ?? 'ok', String(res.status));
    // The budget learns from the outcome itself (it sees this failure leave its run()).
    if (!failure) return res;
    throw failure;
  }

  private httpCall(op: Operation, token: string, signal: AbortSignal): HttpCall {
    const { req } = op;
    return {
      method: req.method,
      // The token's API host: discovered by the incontact grant, configured for v2.
      url: `${this.tokens.apiBaseUrl().replace(/\/+$/, '')}${req.path}`,
      params: req.query,
      data: req.body,
      headers: { ...req.headers, Accept: 'application/json', Authorization: `Bearer ${token}` },
      signal,
    };
  }

  // ---- classification and mapping ------------------------------------------------------

  private transportFailure(op: Operation, err: unknown, timeoutMs: number): AttemptFailure {
    throwIfStopped(op);
    const operation = op.req.operation;
    // axios reports an aborted request as CanceledError; the caller and the deadline are ruled out.
    if ((err as Error | undefined)?.name === 'CanceledError') {
      return new AttemptFailure('timeout', operation, {
        reason: `no answer within ${timeoutMs} ms`,
      });
    }
    return new AttemptFailure('network', operation, { reason: describeNetworkError(err) });
  }

  private async classify(op: Operation, res: Sent): Promise<AttemptFailure | undefined> {
    if (res.status >= 200 && res.status < 300) return undefined;
    const body = res.stream ? await readErrorBody(res.stream) : res.body;
    return new AttemptFailure('http', op.req.operation, {
      status: res.status,
      upstreamMessage: extractUpstreamMessage(body, this.redact, res.headers),
      correlationId: res.headers.correlationid,
      retryAfterMs: parseRetryAfterMs(res.headers['retry-after'], this.clock.now()),
    });
  }

  private fail(op: Operation, err: unknown): AppError {
    const error = operationError(op, err);
    const upstream = error.extensions?.upstream as { correlationId?: string } | undefined;
    const correlationId = upstream?.correlationId;
    this.last = {
      at: new Date(this.clock.now()).toISOString(),
      operation: op.req.operation,
      message: error.message,
      ...(correlationId !== undefined && { correlationId }),
    };
    const line = `${op.req.operation} failed after ${op.attempts} attempt(s): ${error.code}`;
    const traced = correlationId ? ` (CorrelationId ${correlationId})` : '';
    // An answer CXone itself gave is worth a warning with its CorrelationId (NICE support asks for it).
    if (upstream) this.logger.warn(`${line}: ${error.message}${traced}`);
    else this.logger.debug(line);
    return error;
  }

  private record(op: Operation, startedMs: number, outcome: AttemptOutcome, result: string): void {
    const operation = op.req.operation;
    const ms = this.clock.now() - startedMs;
    this.metrics.upstreamCalls.inc({ operation, outcome });
    this.metrics.upstreamDuration.observe({ operation }, ms / 1000);
    this.logger.debug(`${operation} ${op.req.method} -> ${result} attempt=${op.attempts} ${ms}ms`);
  }
}
