import { Controller, Get, Query } from '@nestjs/common';
import { NoFieldsPipe } from '../common/validation/no-fields.pipe';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RouteAccess } from '../auth/route-access.decorator';
import { UpstreamStatusDto } from './upstream-status.dto';
import { UpstreamStatusService } from './upstream-status.service';

@ApiTags('upstream')
@Controller('v1/upstream')
export class UpstreamStatusController {
  constructor(private readonly upstream: UpstreamStatusService) {}

  @Get('status')
  @RouteAccess({ scopes: ['audit:read'] })
  @ApiOperation({
    summary: 'CXone connection state: token, circuit breakers, adaptive budget, last error',
    description: 'Scope audit:read. Never returns the token itself.',
  })
  @ApiOkResponse({
    type: UpstreamStatusDto,
    example: {
      mode: 'cxone',
      baseUrl: 'https://api-c32.nice-incontact.com',
      token: { valid: true, expiresInS: 3412, lastRefreshAt: '2026-01-15T11:58:02.000Z' },
      circuits: { reporting: 'closed', analytics: 'closed', exports: 'open', users: 'closed' },
      budget: {
        limit: 12,
        maxConcurrency: null,
        maxRps: null,
        effectiveRps: 37.8,
        inFlight: 2,
        queued: 0,
        shared: true,
        holdUntil: null,
        latencyMs: { recent: 52, baseline: 50 },
        lastChange: {
          at: '2026-01-15T11:59:40.120Z',
          what: 'rate',
          from: null,
          to: 37.8,
          reason: 'CXone answered HTTP 429 after accepting 54 calls in the last second',
        },
      },
      lastError: {
        at: '2026-01-15T11:59:40.120Z',
        operation: 'exportDownload',
        message: 'CXone answered exportDownload with HTTP 503: Service Unavailable',
      },
    },
  })
  status(@Query(NoFieldsPipe) _query: unknown): UpstreamStatusDto {
    return this.upstream.status();
  }
}
