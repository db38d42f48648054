/** Names of the inContact surface's routes; stats, request logs and faults are keyed by them. */
export const INCONTACT_ROUTE_NAMES = [
  'icDiscovery',
  'icJwks',
  'icTenantConfig',
  'icToken',
  'icAccessKeyToken',
  'icUserRefresh',
  'icAgentStateHistory',
  'icStateHistory',
  'icSkillActivity',
  'icSkillActivityOne',
  'icAgentStates',
] as const;
export type IncontactRouteName = (typeof INCONTACT_ROUTE_NAMES)[number];
