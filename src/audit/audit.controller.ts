import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RouteAccess } from '../auth/route-access.decorator';
import { AuditListDto, AuditQueryDto } from './audit-query.dto';
import { AuditService } from './audit.service';

@ApiTags('audit')
@Controller('v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @RouteAccess({ scopes: ['audit:read'], problems: [400] })
  @ApiOperation({ summary: 'Who did what: audit records, newest first (scope audit:read)' })
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
}
