import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RouteAccess } from '../auth/route-access.decorator';
import { AnonymousAuditQueryDto, AuditListDto, AuditQueryDto } from './audit-query.dto';
import { AuditService } from './audit.service';

@ApiTags('audit')
@Controller('v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @RouteAccess({ scopes: ['audit:read'], problems: [400] })
  @ApiOperation({
    summary: 'Who did what: audit records, newest first (scope audit:read)',
    description:
      'Requests made with a valid API key. Requests without an identified caller (no or a bad ' +
      'key, unknown routes without a key) are never kept here: see /v1/audit/anonymous.',
  })
  @ApiOkResponse({ type: AuditListDto })
  async list(@Query() query: AuditQueryDto): Promise<AuditListDto> {
    const records = await this.audit.query({
      since: query.since ? Date.parse(query.since) : undefined,
      actor: query.actor,
      action: query.action,
      limit: query.limit ?? 100,
    });
    return { records, count: records.length };
  }

  @Get('anonymous')
  @RouteAccess({ scopes: ['audit:read'], problems: [400, 503] })
  @ApiOperation({
    summary: 'Recent requests without an identified caller, newest first (scope audit:read)',
    description:
      'No or a bad API key, unknown routes without a key, public pages: kept in their own ' +
      'small store (AUDIT_ANONYMOUS_RECORDS), so a flood of them never displaces the audit ' +
      'trail. Every one is counted in gateway_anonymous_requests_total{route,status}.',
  })
  @ApiOkResponse({ type: AuditListDto })
  async anonymous(@Query() query: AnonymousAuditQueryDto): Promise<AuditListDto> {
    const records = await this.audit.queryAnonymous({
      since: query.since ? Date.parse(query.since) : undefined,
      limit: query.limit ?? 100,
    });
    return { records, count: records.length };
  }
}
