import { Controller, Get, Query } from '@nestjs/common';
import { NoFieldsPipe } from '../common/validation/no-fields.pipe';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { RouteAccess } from '../auth/route-access.decorator';
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
  @ApiOkResponse({
    schema: {
      type: 'object',
      required: ['status'],
      properties: { status: { type: 'string', enum: ['ok'] } },
      example: { status: 'ok' },
    },
  })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @Public()
  @HealthCheck()
  @ApiOperation({
    summary:
      'Readiness: Redis (when configured), CXone accepting our token at the last probe, circuit states',
  })
  @ApiOkResponse({ description: 'Every indicator up' })
  @ApiServiceUnavailableResponse({
    description: 'At least one indicator down; details per indicator',
  })
  ready(): Promise<HealthCheckResult> {
    // Public: states only. Error text (hosts, upstream answers) is for GET /health/details.
    return this.health.check([() => this.redis.check(), () => this.cxone.check()]);
  }

  @Get('details')
  @RouteAccess({ scopes: ['audit:read'] })
  @ApiOperation({
    summary: 'Readiness with the failure messages of each indicator (scope audit:read)',
    description:
      "The same checks as /health/ready, always answered 200, with each down indicator's " +
      'error text (Redis client error, CXone token failure). The public probe shows states only.',
  })
  @ApiOkResponse({
    schema: {
      type: 'object',
      required: ['status', 'details'],
      properties: {
        status: { type: 'string', enum: ['ok', 'error'] },
        details: {
          type: 'object',
          description: 'Per indicator: its state and, when down, the failure message',
          additionalProperties: { type: 'object' },
        },
      },
      example: {
        status: 'error',
        details: {
          redis: {
            mode: 'redis',
            status: 'down',
            message:
              'Redis unreachable (connect ECONNREFUSED 10.0.0.5:6379); cache and locks fail open',
          },
          cxone: { token: 'accepted', circuits: { reporting: 'closed' }, status: 'up' },
        },
      },
    },
  })
  async details(
    @Query(NoFieldsPipe) _query: unknown,
  ): Promise<{ status: 'ok' | 'error'; details: Record<string, unknown> }> {
    const [redis, cxone] = await Promise.all([this.redis.check(true), this.cxone.check(true)]);
    const details = { ...redis, ...cxone };
    const down = Object.values(details).some((d) => d.status === 'down');
    return { status: down ? 'error' : 'ok', details };
  }
}
