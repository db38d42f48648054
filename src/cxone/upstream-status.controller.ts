import { Controller, Get } from '@nestjs/common';
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
    summary: 'CXone connection state: token, circuit breakers, rate budget, last error',
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
        maxRps: 20,
        effectiveRps: 10,
        maxConcurrency: 8,
        inFlight: 2,
        queued: 0,
        shared: true,
        reducedUntil: '2026-01-15T12:00:10.000Z',
      },
      lastError: {
        at: '2026-01-15T11:59:40.120Z',
        operation: 'exportDownload',
        message: 'CXone answered exportDownload with HTTP 503: Service Unavailable',
      },
    },
  })
  status(): UpstreamStatusDto {
    return this.upstream.status();
  }
}
