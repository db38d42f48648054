import { Injectable, OnModuleInit } from '@nestjs/common';
import { ApiKeyGuard } from '../../auth/api-key.guard';
import { ReplayHooks } from '../../replay/replay.hooks';
import type { ReplayRequest } from '../../replay/replay.types';
import { QueueStatsController } from './queue-stats.controller';
import { QueueStatsService } from './queue-stats.service';

/**
 * Declares GET /v1/queues/stats replayable: dashboards poll it with identical URLs, so a hit is
 * answered from the recorded bytes before Nest's pipeline (see ReplayHooks). The same URL and
 * Accept give the same bytes while the cache entry behind them is unchanged.
 */
@Injectable()
export class QueueStatsReplay implements OnModuleInit {
  constructor(
    private readonly replay: ReplayHooks,
    private readonly guard: ApiKeyGuard,
    private readonly queueStats: QueueStatsService,
  ) {}

  onModuleInit(): void {
    this.replay.register({
      method: 'GET',
      url: '/v1/queues/stats',
      // The method is read for its decorator metadata only, never called.
      // eslint-disable-next-line @typescript-eslint/unbound-method
      access: this.guard.accessOf(QueueStatsController.prototype.stats, QueueStatsController),
      signature: signatureOf,
      isCurrent: (token) => this.queueStats.isCurrent(token),
    });
  }
}

/** URL (with its query) and Accept decide the answer; `Cache-Control: no-cache` never replays. */
function signatureOf(request: ReplayRequest): string | undefined {
  const cacheControl = request.headers['cache-control'];
  if (cacheControl !== undefined && cacheControl.includes('no-cache')) return undefined;
  return `${request.url}\n${request.headers.accept ?? ''}`;
}
