import { Controller, Get, Headers, Query } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { RouteAccess } from '../../auth/route-access.decorator';
import { GetQueueStatsDto, QueueStatsResponseDto } from './queue-stats.dto';
import { QueueStatsResult, QueueStatsService } from './queue-stats.service';

@ApiTags('reporting')
@Controller('v1/queues')
export class QueueStatsController {
  constructor(private readonly queueStats: QueueStatsService) {}

  @Get('stats')
  @RouteAccess({
    scopes: ['reporting:read'],
    audit: 'reporting.queue-stats',
    upstream: 'unless-cached',
    problems: [400, 404, 429, 502, 503, 504],
  })
  @ApiOperation({
    summary: 'Real-time queue statistics, one row per queue (scope reporting:read)',
    description:
      'Cached for QUEUE_STATS_TTL_S (default 5 s) per normalised query; identical concurrent ' +
      'requests share one CXone call. `X-Cache: HIT|MISS` says which; `Cache-Control: no-cache` ' +
      'forces a fresh fetch. `?format=csv|ndjson` returns the rows only.',
  })
  @ApiHeader({
    name: 'Cache-Control',
    required: false,
    description: '`no-cache` bypasses the cache',
  })
  @ApiProduces('application/json', 'text/csv', 'application/x-ndjson')
  @ApiOkResponse({
    type: QueueStatsResponseDto,
    headers: {
      'X-Cache': { description: 'HIT or MISS', schema: { type: 'string', enum: ['HIT', 'MISS'] } },
    },
  })
  async stats(
    @Query() query: GetQueueStatsDto,
    @Headers('cache-control') cacheControl: string | undefined,
  ): Promise<QueueStatsResult> {
    const bypass = cacheControl !== undefined && cacheControl.includes('no-cache');
    const { result, cache, replay } = await this.queueStats.stats(query, bypass);
    return result.withMeta({ headers: { 'x-cache': cache }, replay });
  }
}
