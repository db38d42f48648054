import { Injectable, Logger } from '@nestjs/common';
import { WebhookSender } from '../webhooks/webhook-sender';
import { ExportJobStore } from './export-job.store';
import { ExportResultReader } from './export-result.reader';
import type { ExportJobState } from './export.types';
import { totalCounts } from './export-counts';
import { exportLinks } from './export-links';

const SAMPLE_SIZE = 5;

export type ExportEvent = 'export.completed' | 'export.failed';

/**
 * Sends the export's completion webhook once the export has finished (completed, partial or
 * failed; a cancelled export sends none). `webhook.state` in the job store makes it at most once
 * per export: it is `pending` until the sender reports delivered or gives up, and an export whose
 * webhook is still pending is resumed on restart. If the process dies after the receiver accepted
 * but before `delivered` was saved, it is sent again with the same `X-Webhook-Id` (receivers
 * dedupe on it).
 */
@Injectable()
export class ExportWebhookNotifier {
  private readonly logger = new Logger('ExportWebhook');

  constructor(
    private readonly sender: WebhookSender,
    private readonly store: ExportJobStore,
    private readonly reader: ExportResultReader,
  ) {}

  async notify(job: ExportJobState, signal: AbortSignal): Promise<void> {
    const url = job.webhook.url;
    if (!url || job.webhook.state !== 'pending') return;
    if (job.status === 'cancelled') return this.save(job.id, { state: 'none' });
    const event = eventFor(job);
    const body = await this.payload(job, event);
    const result = await this.sender.deliver({
      kind: 'export',
      url,
      body,
      webhookId: `${job.id}:${event}`,
      signal,
      onAttempt: (a) => {
        this.save(job.id, { attempts: a.attempt, lastStatus: a.status, lastError: a.error }).catch(
          (err: unknown) => this.logger.warn(`Could not record a webhook attempt: ${String(err)}`),
        );
      },
    });
    // Stopped by shutdown or cancel: stay pending so the next start delivers it.
    if (signal.aborted && !result.delivered) return;
    await this.save(job.id, {
      state: result.delivered ? 'delivered' : 'failed',
      attempts: result.attempts,
      lastStatus: result.lastStatus,
      lastError: result.lastError,
    });
  }

  private async payload(job: ExportJobState, event: ExportEvent): Promise<Record<string, unknown>> {
    const counts = totalCounts(job);
    return {
      event,
      id: job.id,
      status: job.status,
      counts,
      recordCount: counts.valid,
      links: exportLinks(job.id),
      sample: await this.reader.sample(job, SAMPLE_SIZE),
    };
  }

  private async save(id: string, patch: Partial<ExportJobState['webhook']>): Promise<void> {
    await this.store.update(id, (job) => {
      // A late attempt report must not undo the final outcome.
      if (job.webhook.state !== 'pending' && patch.state === undefined) return false;
      Object.assign(job.webhook, patch);
    });
  }
}

function eventFor(job: ExportJobState): ExportEvent {
  return job.status === 'completed' || job.status === 'partial'
    ? 'export.completed'
    : 'export.failed';
}
