import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { Clock, timeoutSignal } from '../common/clock/clock';
import { APP_CONFIG } from '../config/config.constants';
import type { AppConfig } from '../config/app-config.types';
import { fullJitterBackoffMs, parseRetryAfterMs } from '../common/concurrency/backoff';
import { MetricsService } from '../observability/metrics.service';
import { SIGNATURE_HEADER, WEBHOOK_ID_HEADER, signWebhook } from './webhook-signer';
import { webhookUrlProblem } from './webhook-target';

/** One logical webhook delivery (all its attempts). */
export interface WebhookDeliveryRequest {
  /** Label for metrics and logs, e.g. `export` or `wfm_status`. */
  kind: string;
  url: string;
  /** A JSON value, serialized once: exactly those bytes are signed and sent on every attempt. */
  body: unknown;
  /** Unique per logical delivery, the same on every retry (receivers dedupe on it). */
  webhookId: string;
  /** Stops further attempts and waits (e.g. on shutdown or cancellation). */
  signal?: AbortSignal;
  /** Called after every attempt, e.g. to persist progress. */
  onAttempt?: (attempt: WebhookAttemptReport) => void;
}

export interface WebhookAttemptReport {
  attempt: number;
  delivered: boolean;
  status: number | null;
  error: string | null;
}

export interface WebhookDeliveryResult {
  delivered: boolean;
  /** HTTP attempts made (0 when refused before sending). */
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
}

/** Tunables; production uses the defaults, tests shorten them or pass a fake fetch. */
export interface WebhookSenderOptions {
  attemptTimeoutMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  random: () => number;
  fetch: typeof fetch;
}
export const WEBHOOK_SENDER_OPTIONS = Symbol('WEBHOOK_SENDER_OPTIONS');
const DEFAULT_OPTIONS: WebhookSenderOptions = {
  attemptTimeoutMs: 5000,
  backoffBaseMs: 500,
  backoffMaxMs: 30_000,
  random: Math.random,
  fetch: (input, init) => fetch(input, init),
};

type AttemptOutcome =
  | 'delivered'
  | 'redirect'
  | 'http_4xx'
  | 'http_5xx'
  | 'rate_limited'
  | 'timeout'
  | 'network'
  | 'cancelled';

interface Attempt {
  outcome: AttemptOutcome;
  status: number | null;
  error: string | null;
  retryable: boolean;
  retryAfterMs?: number;
}

/**
 * Delivers signed outgoing webhooks (export completion, WFM status sync). Webhooks are not CXone,
 * so they use node's fetch, not CxoneClient. Each attempt: POST JSON with `X-Signature`
 * (see webhook-signer), `X-Webhook-Id`, a 5 s timeout and no redirects followed (a 3xx fails).
 * Network errors, timeouts, 408, 429 and 5xx are retried with full-jitter exponential backoff
 * (honouring Retry-After up to the backoff cap) up to WEBHOOK_MAX_ATTEMPTS; other answers are
 * final. The target is re-checked against WEBHOOK_ALLOWED_HOSTS before sending. Never throws.
 */
@Injectable()
export class WebhookSender {
  private readonly logger = new Logger('WebhookSender');
  private readonly options: WebhookSenderOptions;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly metrics: MetricsService,
    @Optional() @Inject(WEBHOOK_SENDER_OPTIONS) options?: Partial<WebhookSenderOptions>,
  ) {
    this.options = { ...DEFAULT_OPTIONS, ...options };
  }

  /** False when WEBHOOK_SIGNING_SECRET is unset: every delivery is then refused. */
  get signingConfigured(): boolean {
    return Boolean(this.config.webhook.signingSecret);
  }

  async deliver(req: WebhookDeliveryRequest): Promise<WebhookDeliveryResult> {
    const refused = this.refusal(req.url);
    if (refused)
      return this.finish(req, {
        delivered: false,
        attempts: 0,
        lastStatus: null,
        lastError: refused,
      });
    const body = JSON.stringify(req.body ?? null);
    const maxAttempts = this.config.webhook.maxAttempts;
    let last: Attempt | undefined;
    let attempts = 0;
    while (attempts < maxAttempts) {
      if (attempts > 0 && !(await this.backoff(attempts, last, req.signal))) break;
      attempts += 1;
      last = await this.attempt(req, body);
      this.metrics.webhookDeliveries.inc({ kind: req.kind, outcome: last.outcome });
      req.onAttempt?.({
        attempt: attempts,
        delivered: last.outcome === 'delivered',
        status: last.status,
        error: last.error,
      });
      if (last.outcome === 'delivered' || !last.retryable) break;
    }
    return this.finish(req, {
      delivered: last?.outcome === 'delivered',
      attempts,
      lastStatus: last?.status ?? null,
      lastError: last?.error ?? (req.signal?.aborted ? 'cancelled' : null),
    });
  }

  private refusal(url: string): string | undefined {
    const secret = this.config.webhook.signingSecret;
    if (!secret) return 'WEBHOOK_SIGNING_SECRET is not set; unsigned webhooks are never sent';
    const problem = webhookUrlProblem(url, this.config.webhook.allowedHosts);
    return problem === undefined ? undefined : `target refused: ${problem}`;
  }

  private async attempt(req: WebhookDeliveryRequest, body: string): Promise<Attempt> {
    if (req.signal?.aborted) return failed('cancelled', null, 'cancelled', false);
    // On the clock, following the caller's signal; aborting it really closes the connection.
    const timeout = timeoutSignal(this.clock, this.options.attemptTimeoutMs, req.signal);
    const { signal } = timeout;
    const secret = this.config.webhook.signingSecret ?? '';
    try {
      const res = await this.options.fetch(req.url, {
        method: 'POST',
        redirect: 'manual',
        signal,
        body,
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'cxone-gateway-webhooks',
          [SIGNATURE_HEADER]: signWebhook(secret, body, Math.floor(this.clock.now() / 1000)),
          [WEBHOOK_ID_HEADER]: req.webhookId,
        },
      });
      await discardBody(res);
      return this.classify(res);
    } catch (err) {
      if (req.signal?.aborted) return failed('cancelled', null, 'cancelled', false);
      if (timeout.timedOut()) {
        return failed(
          'timeout',
          null,
          `no answer within ${this.options.attemptTimeoutMs} ms`,
          true,
        );
      }
      return failed('network', null, describeFetchError(err), true);
    } finally {
      timeout.dispose();
    }
  }

  private classify(res: Response): Attempt {
    const status = res.status;
    if (status >= 200 && status < 300)
      return { outcome: 'delivered', status, error: null, retryable: false };
    if (status >= 300 && status < 400) {
      return failed('redirect', status, `HTTP ${status}: redirects are not followed`, false);
    }
    const retryAfterMs = parseRetryAfterMs(
      res.headers.get('retry-after') ?? undefined,
      this.clock.now(),
    );
    if (status === 429)
      return { ...failed('rate_limited', status, 'HTTP 429', true), retryAfterMs };
    if (status >= 500)
      return { ...failed('http_5xx', status, `HTTP ${status}`, true), retryAfterMs };
    return failed('http_4xx', status, `HTTP ${status}`, status === 408);
  }

  /** Waits before the next attempt; false when the caller cancelled meanwhile. */
  private async backoff(
    done: number,
    last: Attempt | undefined,
    signal?: AbortSignal,
  ): Promise<boolean> {
    const { backoffBaseMs, backoffMaxMs, random } = this.options;
    const jittered = fullJitterBackoffMs(done, {
      baseMs: backoffBaseMs,
      maxMs: backoffMaxMs,
      random,
    });
    const delayMs = Math.min(backoffMaxMs, Math.max(jittered, last?.retryAfterMs ?? 0));
    try {
      await this.clock.sleep(delayMs, signal);
      return !signal?.aborted;
    } catch {
      return false;
    }
  }

  private finish(
    req: WebhookDeliveryRequest,
    result: WebhookDeliveryResult,
  ): WebhookDeliveryResult {
    const target = safeOrigin(req.url);
    if (result.delivered) {
      this.logger.log(
        `${req.kind} webhook ${req.webhookId} delivered to ${target} (attempts=${result.attempts})`,
      );
    } else {
      if (result.attempts === 0)
        this.metrics.webhookDeliveries.inc({ kind: req.kind, outcome: 'refused' });
      this.logger.warn(
        `${req.kind} webhook ${req.webhookId} to ${target} not delivered after ${result.attempts} attempt(s): ${result.lastError ?? 'unknown error'}`,
      );
    }
    return result;
  }
}

function failed(
  outcome: AttemptOutcome,
  status: number | null,
  error: string,
  retryable: boolean,
): Attempt {
  return { outcome, status, error, retryable };
}

/** Frees the connection without reading an arbitrarily large answer. */
async function discardBody(res: Response): Promise<void> {
  try {
    await res.body?.cancel();
  } catch {
    // The answer's status is all we need; a broken body changes nothing.
  }
}

function describeFetchError(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message.slice(0, 200);
  return err instanceof Error ? err.message.slice(0, 200) : 'network error';
}

/** Scheme, host and port only: paths and queries may carry receiver tokens. */
function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(invalid url)';
  }
}
