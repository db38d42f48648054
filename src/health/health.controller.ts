import { Controller, Get } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { Public } from '../auth/scopes.decorator';
import { CxoneHealthIndicator } from './cxone.health';
import { RedisHealthIndicator } from './redis.health';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly redis: RedisHealthIndicator,
    private readonly cxone: CxoneHealthIndicator,
  ) {}

  @Get('live')
  @Public()
  @ApiOperation({ summary: 'Liveness: the process is up and serving (public)' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @Public()
  @HealthCheck()
  @ApiOperation({
    summary: 'Readiness: Redis (when configured), a CXone token obtainable, circuit states',
  })
  @ApiOkResponse({ description: 'Every indicator up' })
  @ApiServiceUnavailableResponse({
    description: 'At least one indicator down; details per indicator',
  })
  ready(): Promise<HealthCheckResult> {
    return this.health.check([() => this.redis.check(), () => this.cxone.check()]);
  }
}
