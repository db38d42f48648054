import { Controller, Get, Header, Query } from '@nestjs/common';
import { NoFieldsPipe } from '../../common/validation/no-fields.pipe';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { RouteAccess } from '../../auth/route-access.decorator';
import {
  PROMETHEUS_TEXT_CONTENT_TYPE,
  queueSnapshotOf,
  renderQueueMetrics,
} from './queue-metrics.exposition';
import { QueueStatsService } from './queue-stats.service';

const EXAMPLE = `# HELP cxone_queue_longest_wait_seconds How long the longest-waiting contact in the queue has waited, in seconds.
# TYPE cxone_queue_longest_wait_seconds gauge
cxone_queue_longest_wait_seconds{queue_id="c0000000-0000-4000-8000-000000000001",queue_name="Sales Support"} 42.5
# HELP cxone_queue_agents Agents of the queue by state (available, working, logged_in, acw).
# TYPE cxone_queue_agents gauge
cxone_queue_agents{queue_id="c0000000-0000-4000-8000-000000000001",queue_name="Sales Support",state="available"} 12
# HELP cxone_queue_service_level_ratio Share of contacts answered within the service-level threshold (0 to 1).
# TYPE cxone_queue_service_level_ratio gauge
cxone_queue_service_level_ratio{queue_id="c0000000-0000-4000-8000-000000000001",queue_name="Sales Support"} 0.874
# HELP cxone_queue_snapshot_timestamp_seconds When the gateway fetched these queue figures from CXone (Unix time).
# TYPE cxone_queue_snapshot_timestamp_seconds gauge
cxone_queue_snapshot_timestamp_seconds 1768478400.12
`;

@ApiTags('reporting')
@Controller('v1/queues')
export class QueueMetricsController {
  constructor(private readonly queueStats: QueueStatsService) {}

  @Get('metrics')
  @RouteAccess({
    scopes: ['reporting:read'],
    audit: 'reporting.queue-metrics',
    problems: [429, 502, 503, 504],
  })
  @Header('content-type', PROMETHEUS_TEXT_CONTENT_TYPE)
  @Header('cache-control', 'no-store')
  @ApiOperation({
    summary: 'Queue figures as Prometheus gauges (scope reporting:read)',
    description:
      'Prometheus text exposition of every queue: `cxone_queue_contacts_queued`, ' +
      '`cxone_queue_longest_wait_seconds`, `cxone_queue_agents{state}` (available, working, ' +
      'logged_in, acw) and `cxone_queue_service_level_ratio` (0–1), labelled `queue_id`, ' +
      '`queue_name` and, where the dialect has it, `media_type`. A figure the dialect does not ' +
      'report is left out, never sent as 0. Served from the queue-stats cache ' +
      '(QUEUE_STATS_TTL_S), so any number of scrapers cost at most one CXone call per TTL. ' +
      'Authenticate the scrape with `authorization: {credentials: <key>}` (Bearer).',
  })
  @ApiProduces(PROMETHEUS_TEXT_CONTENT_TYPE)
  @ApiOkResponse({
    description: 'Prometheus text exposition format 0.0.4',
    content: { [PROMETHEUS_TEXT_CONTENT_TYPE]: { schema: { type: 'string', example: EXAMPLE } } },
  })
  async metrics(@Query(NoFieldsPipe) _query: unknown): Promise<string> {
    const { result } = await this.queueStats.stats({}, false);
    return renderQueueMetrics(queueSnapshotOf(result));
  }
}
