import { Body, Controller, Headers, Param, Put } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { RouteAccess } from '../auth/route-access.decorator';
import { canonicalUuid } from '../common/validation/uuid';
import { WithResponseMeta } from '../common/http/response-meta';
import { StatusService } from './status.service';
import {
  AgentStatusParamsDto,
  AgentStatusResponseDto,
  UpdateAgentStatusDto,
} from './update-agent-status.dto';

@ApiTags('status')
@Controller('v1/agents')
export class StatusController {
  constructor(private readonly status: StatusService) {}

  @Put(':userId/status')
  @RouteAccess({
    scopes: ['status:write'],
    audit: 'status.update',
    upstream: 'always',
    auditFields: ['status', 'pauseReason'],
    problems: [400, 403, 404, 409, 422, 429, 502, 503, 504],
  })
  @ApiOperation({
    summary: "Set an agent's desktop status (scope status:write)",
    description:
      'Checks the Agent/Supervisor role and the shift window, writes the status to CXone and ' +
      'notifies WFM_WEBHOOK_URL in the background. With an Idempotency-Key, a repeat of the same ' +
      'request replays the first result (header Idempotency-Replayed: true). In the incontact ' +
      'dialect (the real CXone API): the agent must exist (404) and be active (403), a pause ' +
      "reason must be an active unavailable code of the agent's team (400 listing them), an " +
      'agent in after-contact work gets 409; the shift cannot be checked there, and the answer ' +
      'says so in `checks`.',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: '1-128 characters [A-Za-z0-9_.:-]; scoped to the API key',
  })
  @ApiOkResponse({ type: AgentStatusResponseDto })
  async update(
    @Param() params: AgentStatusParamsDto,
    @Body() body: UpdateAgentStatusDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentPrincipal() principal: Principal,
  ): Promise<WithResponseMeta<AgentStatusResponseDto>> {
    const { result, replayed } = await this.status.update({
      // A UUID is one user in any case: the idempotency scope and the audit see one spelling.
      userId: canonicalUuid(params.userId),
      change: body,
      principal: principal.name,
      idempotencyKey,
    });
    return new WithResponseMeta(result, {
      headers: replayed ? { 'Idempotency-Replayed': 'true' } : {},
    });
  }
}
