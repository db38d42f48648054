import { acdRoute, route, type UpstreamRoute } from '../route-table';
import { handleDiscovery, handleJwks, handleTenantConfig } from './auth/discovery.handler';
import { handleAccessKeyToken, handleUserRefresh } from './auth/legacy.handler';
import { handleIcToken } from './auth/token.handler';
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
];
