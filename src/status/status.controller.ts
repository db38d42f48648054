import { Body, Controller, Headers, Param, Put, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuditAction, Scopes } from '../auth/scopes.decorator';
import { ApiKeyAuth, ApiProblemResponses } from '../common/openapi/problem-responses.decorator';
import { StatusService } from './status.service';
import {
  AgentStatusParamsDto,
  AgentStatusResponseDto,
  UpdateAgentStatusDto,
} from './update-agent-status.dto';

@ApiTags('status')
@ApiKeyAuth()
@Controller('v1/agents')
export class StatusController {
  constructor(private readonly status: StatusService) {}

  /**
   * `@Res({ passthrough: true })` only to add the Idempotency-Replayed header: the return value
   * still goes through Nest's normal response pipeline (this is not a raw stream).
   */
  @Put(':userId/status')
  @Scopes('status:write')
  @AuditAction('status.update', ['status', 'pauseReason'])
  @ApiOperation({
    summary: "Set an agent's desktop status (scope status:write)",
    description:
      'Checks the Agent/Supervisor role and the shift window, writes the status to CXone and ' +
      'notifies WFM_WEBHOOK_URL in the background. With an Idempotency-Key, a repeat of the same ' +
      'request replays the first result (header Idempotency-Replayed: true).',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: '1-128 characters [A-Za-z0-9_.:-]; scoped to the API key',
  })
  @ApiOkResponse({ type: AgentStatusResponseDto })
  @ApiProblemResponses(400, 401, 403, 404, 409, 422, 429, 502, 503, 504)
  async update(
    @Param() params: AgentStatusParamsDto,
    @Body() body: UpdateAgentStatusDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AgentStatusResponseDto> {
    const { result, replayed } = await this.status.update({
      userId: params.userId,
      change: body,
      principal: req.cxgw?.principal?.name ?? 'anonymous',
      idempotencyKey,
    });
    if (replayed) void reply.header('Idempotency-Replayed', 'true');
    return result;
  }
}
