import { Injectable, OnModuleInit } from '@nestjs/common';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { ReplayHooks } from '../replay/replay.hooks';
import type { RecordedAnswer, ReplayRequest } from '../replay/replay.types';
import { wantsRefresh } from './analytics-response';
import { AnalyticsController } from './analytics.controller';
import { AnalyticsService, storedAtOf } from './analytics.service';
import { ReplayedSummaryBody } from './replayed-summary-body';

/**
 * Declares POST /v1/analytics/summary replayable: a dashboard repeats the same body, so a hit
 * is answered from the recorded bytes before Nest's pipeline (see ReplayHooks), with the JSON
 * envelope's `cache` object rewritten to what the normal route would say (HIT and the age).
 * Conditional requests (If-None-Match) and refreshes always take the normal route.
 */
@Injectable()
export class AnalyticsReplay implements OnModuleInit {
  private readonly replayed = new ReplayedSummaryBody();

  constructor(
    private readonly replay: ReplayHooks,
    private readonly guard: ApiKeyGuard,
    private readonly analytics: AnalyticsService,
  ) {}

  onModuleInit(): void {
    this.replay.register({
      method: 'POST',
      url: '/v1/analytics/summary',
      // The method is read for its decorator metadata only, never called.
      // eslint-disable-next-line @typescript-eslint/unbound-method
      access: this.guard.accessOf(AnalyticsController.prototype.summary, AnalyticsController),
      signature: signatureOf,
      isCurrent: (token) => this.analytics.isCurrent(token),
      bodyOf: (answer) => this.bodyOf(answer),
    });
  }

  private bodyOf(answer: RecordedAnswer): Buffer {
    if (!answer.headers['content-type']?.startsWith('application/json')) return answer.body;
    return this.replayed.of(answer.body, this.analytics.ageSecondsOf(storedAtOf(answer.version)));
  }
}

/** URL (with ?format), Accept and the exact body decide the answer. */
function signatureOf(request: ReplayRequest): string | undefined {
  const headers = request.headers;
  if (wantsRefresh(headers['cache-control']) || headers['if-none-match'] !== undefined) {
    return undefined;
  }
  const body = request.bodyJson ?? JSON.stringify(request.body);
  return `${request.url}\n${headers.accept ?? ''}\n${body}`;
}
