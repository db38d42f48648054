import { acdRoute, route, type UpstreamRoute } from '../route-table';
import {
  handleIcAgentGet,
  handleIcAgentLogout,
  handleIcAgentSetState,
} from './admin/agents.handler';
import { handleIcTeamUnavailableCodes, handleIcUnavailableCodes } from './admin/codes.handler';
import { handleIcUserGet } from './admin/users.handler';
import { handleDiscovery, handleJwks, handleTenantConfig } from './auth/discovery.handler';
import { handleAccessKeyToken, handleUserRefresh } from './auth/legacy.handler';
import { handleIcToken } from './auth/token.handler';
import {
  handleIcAgentPerformance,
  handleIcAgentPerformanceOne,
  handleIcSkillSummary,
  handleIcSkillSummaryOne,
  handleIcSlaSummary,
  handleIcSlaSummaryOne,
  handleIcTeamPerformance,
  handleIcTeamPerformanceOne,
} from './history/summaries.handler';
import { handleIcAgentStates } from './realtime/agent-states.handler';
import { handleIcSkillActivity, handleIcSkillActivityOne } from './realtime/skill-activity.handler';
import { handleIcAgentStateHistory, handleIcStateHistory } from './reporting/state-history.handler';

/**
 * The real-API surface: the issuer (discovery, token, JWKS, tenant discovery), the UserHub
 * legacy token endpoints, and the ACD API under `/inContactAPI/services/vNN.0`. One server is
 * issuer, auth host and API host at once.
 */
export const INCONTACT_ROUTES: readonly UpstreamRoute[] = [
  route('icDiscovery', 'GET', '/.well-known/openid-configuration', handleDiscovery, 'oidc'),
  route('icJwks', 'GET', '/auth/jwks', handleJwks, 'oidc'),
  route('icTenantConfig', 'GET', '/.well-known/cxone-configuration', handleTenantConfig, 'oidc'),
  route('icToken', 'POST', '/auth/token', handleIcToken, 'oidc'),
  route(
    'icAccessKeyToken',
    'POST',
    '/authentication/v1/token/access-key',
    handleAccessKeyToken,
    'oidc',
  ),
  route('icUserRefresh', 'POST', '/public/user/refresh', handleUserRefresh, 'oidc'),
  // Literal paths before `/agents/:agentId/...`, so `states` is never taken for an agent id.
  acdRoute('icStateHistory', 'GET', '/agents/state-history', handleIcStateHistory),
  acdRoute('icAgentStates', 'GET', '/agents/states', handleIcAgentStates),
  acdRoute(
    'icAgentStateHistory',
    'GET',
    '/agents/:agentId/state-history',
    handleIcAgentStateHistory,
  ),
  acdRoute('icSkillActivity', 'GET', '/skills/activity', handleIcSkillActivity),
  acdRoute('icSkillActivityOne', 'GET', '/skills/:skillId/activity', handleIcSkillActivityOne),
  acdRoute('icSkillSummary', 'GET', '/skills/summary', handleIcSkillSummary),
  acdRoute('icSlaSummary', 'GET', '/skills/sla-summary', handleIcSlaSummary),
  acdRoute('icSkillSummaryOne', 'GET', '/skills/:skillId/summary', handleIcSkillSummaryOne),
  acdRoute('icSlaSummaryOne', 'GET', '/skills/:skillId/sla-summary', handleIcSlaSummaryOne),
  acdRoute('icAgentPerformance', 'GET', '/agents/performance', handleIcAgentPerformance),
  acdRoute(
    'icAgentPerformanceOne',
    'GET',
    '/agents/:agentId/performance',
    handleIcAgentPerformanceOne,
  ),
  acdRoute('icTeamPerformance', 'GET', '/teams/performance-total', handleIcTeamPerformance),
  acdRoute(
    'icTeamPerformanceOne',
    'GET',
    '/teams/:teamId/performance-total',
    handleIcTeamPerformanceOne,
  ),
  acdRoute(
    'icTeamUnavailableCodes',
    'GET',
    '/teams/:teamId/unavailable-codes',
    handleIcTeamUnavailableCodes,
  ),
  acdRoute('icUnavailableCodes', 'GET', '/unavailable-codes', handleIcUnavailableCodes),
  acdRoute('icAgentSetState', 'POST', '/agents/:agentId/state', handleIcAgentSetState),
  acdRoute('icAgentLogout', 'POST', '/agents/:agentId/logout', handleIcAgentLogout),
  // Last among /agents/...: the single-agent lookup takes an agent id or a user id.
  acdRoute('icAgentGet', 'GET', '/agents/:agentId', handleIcAgentGet),
  route('icUserGet', 'GET', '/user-management/v3/users/:userId', handleIcUserGet, 'platform'),
];
