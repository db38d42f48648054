import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/scopes.decorator';
import { MetricsService } from '../observability/metrics.service';

@ApiTags('health')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Public()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({ summary: 'Prometheus metrics (public)' })
  @ApiOkResponse({
    description: 'Prometheus text exposition format',
    content: {
      'text/plain': {
        schema: { type: 'string' },
        example:
          '# TYPE gateway_upstream_calls_total counter\n' +
          'gateway_upstream_calls_total{operation="queueStats",outcome="ok"} 12\n',
      },
    },
  })
  render(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
