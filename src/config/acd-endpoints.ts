/**
 * The ACD endpoints the incontact dialect calls, by the names CXONE_API_VERSIONS pins them
 * with (paths under `/inContactAPI/services/vNN.0`, ids left out).
 */
export const ACD_ENDPOINTS = [
  'agents/state-history',
  'agents/states',
  'agents/state',
  'agents/logout',
  'agents',
  'agents/performance',
  'skills/activity',
  'skills/summary',
  'skills/sla-summary',
  'teams/performance-total',
  'teams/unavailable-codes',
  'unavailable-codes',
] as const;
export type AcdEndpoint = (typeof ACD_ENDPOINTS)[number];
