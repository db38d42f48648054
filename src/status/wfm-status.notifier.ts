import { randomUUID } from 'node:crypto';
import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnModuleInit,
} from '@nestjs/common';
import { Clock } from '../common/clock/clock';
import { APP_CONFIG } from '../config/config.constants';
import type { AppConfig } from '../config/app-config.types';
import { WebhookSender } from '../webhooks/webhook-sender';
import { webhookUrlProblem } from '../webhooks/webhook-target';
import { withTimeout } from '../common/concurrency/with-timeout';

/** How long shutdown waits for WFM deliveries still retrying before abandoning them. */
export const WFM_SHUTDOWN_GRACE_MS = 2000;

export interface StatusChangedEvent {
  userId: string;
  status: string;
  latencyMs: number;
}

/**
 * Tells the WFM platform about each status change (v2 §status step 4): a signed webhook to
 * WFM_WEBHOOK_URL, sent in the background with retries so it never delays or fails the caller.
 * The target is checked against WEBHOOK_ALLOWED_HOSTS once at startup: a refused one disables
 * the sync with a warning instead of stopping the gateway. Shutdown waits briefly for deliveries
 * in flight, then cancels them.
 */
@Injectable()
export class WfmStatusNotifier implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('WfmStatusNotifier');
  private target: string | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly stopping = new AbortController();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly sender: WebhookSender,
  ) {}

  onModuleInit(): void {
    const url = this.config.wfm.webhookUrl;
    if (!url) return;
    const problem = webhookUrlProblem(url, this.config.webhook.allowedHosts);
    if (problem !== undefined) {
      this.logger.warn(`WFM_WEBHOOK_URL ${problem}; WFM status sync is disabled`);
    } else if (!this.sender.signingConfigured) {
      this.logger.warn('WEBHOOK_SIGNING_SECRET is not set; WFM status sync is disabled');
    } else {
      this.target = url;
    }
  }

  get enabled(): boolean {
    return this.target !== undefined;
  }

  /** Queues the notification and returns at once; failures are logged, never thrown. */
  notify(change: StatusChangedEvent): void {
    const url = this.target;
    if (url === undefined || this.stopping.signal.aborted) return;
    const body = {
      event: 'agent_status_updated',
      userId: change.userId,
      status: change.status,
      timestamp: new Date(this.clock.now()).toISOString(),
      latencyMs: change.latencyMs,
      source: 'cxone_gateway',
    };
    const delivery = this.sender
      .deliver({
        kind: 'wfm_status',
        url,
        body,
        webhookId: randomUUID(),
        signal: this.stopping.signal,
      })
      .then(
        () => undefined,
        (err: unknown) => this.logger.error(`WFM status sync crashed: ${(err as Error).message}`),
      )
      .finally(() => this.inFlight.delete(delivery));
    this.inFlight.add(delivery);
  }

  /** Resolves when every delivery queued so far has finished (for tests and shutdown). */
  async drain(timeoutMs: number): Promise<boolean> {
    if (this.inFlight.size === 0) return true;
    const settled = Promise.allSettled([...this.inFlight]).then(() => true);
    return withTimeout(settled, { ms: timeoutMs, clock: this.clock, what: 'WFM drain' }).catch(
      () => false,
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    const pending = this.inFlight.size;
    if (pending === 0) return;
    const done = await this.drain(WFM_SHUTDOWN_GRACE_MS);
    if (!done)
      this.logger.warn(`Abandoning ${this.inFlight.size} WFM status notification(s) at shutdown`);
    this.stopping.abort();
    await Promise.allSettled([...this.inFlight]);
  }
}
