import { Module } from '@nestjs/common';
import { WebhookSender } from './webhook-sender';

/**
 * Outgoing webhooks shared by features (export completion, WFM status sync): the signed,
 * retrying `WebhookSender`. The pure helpers (`signWebhook`, `verifyWebhookSignature`,
 * `assertAllowedWebhookUrl`) are imported directly from their files.
 */
@Module({
  providers: [WebhookSender],
  exports: [WebhookSender],
})
export class WebhooksModule {}
