import { IncontactAgentStatusSource } from './incontact-agent-status.source';

/** The status port of the incontact dialect. */
export const INCONTACT_AGENT_STATUS = IncontactAgentStatusSource;
