/**
 * Well-known ids the sandbox serves. They are constants (the same for every seed) so tests,
 * docs and curl recipes can name them directly.
 */

export interface NamedEntity {
  id: string;
  name: string;
}

/** The v2 surface's ids (static: the same for every instance). */
export interface V2Fixtures {
  agents: {
    /** ≈ historyRecords state changes in any 24 h window. */
    busy: string;
    /** ≈ 50 state changes in any 24 h window. */
    moderate: string;
    /** Known agent with no state changes at all. */
    quiet: string;
    /** Answered with 404. */
    unknown: string;
  };
  queues: NamedEntity[];
  unknownQueue: string;
  users: {
    agent: string;
    supervisor: string;
    noAgentRole: string;
    offShift: string;
    wrapUp: string;
    noShift: string;
    unknown: string;
  };
  credentials: { clientId: string; clientSecret: string };
  /** Agents appearing in analytics rows and export events (busy and moderate first). */
  agentRoster: NamedEntity[];
  /** Bots appearing in export events. */
  bots: NamedEntity[];
  /** Dimension values of analytics rows (queue and agent values are the ids above). */
  analytics: { channels: string[]; skills: string[]; campaigns: string[] };
}

const agentId = (n: number): string =>
  `a0000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const queueId = (n: number): string =>
  `c0000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const userId = (n: number): string => `e0000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const botId = (n: number): string => `b0000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

export const SANDBOX_FIXTURES: V2Fixtures = {
  agents: { busy: agentId(1), moderate: agentId(2), quiet: agentId(3), unknown: agentId(0xff) },
  queues: [
    { id: queueId(1), name: 'Sales Support' },
    { id: queueId(2), name: 'Billing' },
    { id: queueId(3), name: 'Technical Support' },
    { id: queueId(4), name: 'Retention' },
  ],
  unknownQueue: queueId(0xff),
  users: {
    agent: userId(1),
    supervisor: userId(2),
    noAgentRole: userId(3),
    offShift: userId(4),
    wrapUp: userId(5),
    noShift: userId(6),
    unknown: userId(0xff),
  },
  credentials: { clientId: 'sandbox-client', clientSecret: 'sandbox-secret' },
  agentRoster: [
    { id: agentId(1), name: 'Ava Busy' },
    { id: agentId(2), name: 'Ben Moderate' },
    { id: agentId(4), name: 'Chloe Park' },
    { id: agentId(5), name: 'Diego Ramos' },
    { id: agentId(6), name: 'Emma Schulz' },
    { id: agentId(7), name: 'Farid Haddad' },
  ],
  bots: [
    { id: botId(1), name: 'Order Status Bot' },
    { id: botId(2), name: 'Billing Bot' },
    { id: botId(3), name: 'Password Reset Bot' },
    { id: botId(4), name: 'Triage Bot' },
  ],
  analytics: {
    channels: ['voice', 'chat', 'email', 'sms', 'social'],
    skills: ['General Inquiry', 'Billing', 'Technical'],
    campaigns: ['Spring Promo', 'Retention Drive'],
  },
};
