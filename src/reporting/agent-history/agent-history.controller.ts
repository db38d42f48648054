import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { RouteAccess } from '../../auth/route-access.decorator';
import type { TabularResult } from '../../common/format/tabular-result';
import { ClientSignal } from '../../common/http/client-signal';
import {
  AgentStateHistoryParamsDto,
  AgentStateHistoryResponseDto,
  GetAgentStateHistoryDto,
} from './agent-history.dto';
import { AgentHistoryService } from './agent-history.service';
import type { StateHistoryRecord } from './state-history.math';

@ApiTags('reporting')
@Controller('v1/agents')
export class AgentHistoryController {
  constructor(private readonly history: AgentHistoryService) {}

  @Get(':agentId/state-history')
  @RouteAccess({
    scopes: ['reporting:read'],
    audit: 'reporting.state-history',
    upstream: 'always',
    problems: [400, 404, 422, 429, 502, 503, 504],
  })
  @ApiOperation({
    summary:
      "An agent's state changes with durations and a per-state summary (scope reporting:read)",
    description:
      'Every page of CXone agent history for the window, sorted, de-duplicated, with ' +
      '`durationSeconds` until the next change (or until `end`). `?format=csv|ndjson` returns the ' +
      'records only (columns timestamp, agentId, state, stateId, previousState, durationSeconds).',
  })
  @ApiProduces('application/json', 'text/csv', 'application/x-ndjson')
  @ApiOkResponse({ type: AgentStateHistoryResponseDto })
  stateHistory(
    @Param() params: AgentStateHistoryParamsDto,
    @Query() query: GetAgentStateHistoryDto,
    @ClientSignal() signal: AbortSignal,
  ): Promise<TabularResult<StateHistoryRecord>> {
    return this.history.stateHistory(params.agentId, query, { signal });
  }
}
