import { IC_TEAMS } from './ic-fixtures';

/** One unavailable code ("outstate") of the business unit. */
export interface UnavailableCode {
  id: number;
  name: string;
  isActive: boolean;
  isAcw: boolean;
  /** Minutes before the agent is timed out of the state; 0 = never. */
  agentTimeoutMins: number;
}

/**
 * The business unit's codes: the reasons the simulated agents go Unavailable with, the v2 pause
 * reasons, the three statuses the gateway maps onto codes (Break, Busy, Training), the system ACW
 * code, and one retired code. Ids are not small or contiguous, as on real business units.
 */
export const UNAVAILABLE_CODES: readonly UnavailableCode[] = [
  { id: 17, name: 'Break', isActive: true, isAcw: false, agentTimeoutMins: 0 },
  { id: 18, name: 'Lunch', isActive: true, isAcw: false, agentTimeoutMins: 60 },
  { id: 19, name: 'Meeting', isActive: true, isAcw: false, agentTimeoutMins: 0 },
  { id: 20, name: 'Training', isActive: true, isAcw: false, agentTimeoutMins: 0 },
  { id: 21, name: 'Coaching', isActive: true, isAcw: false, agentTimeoutMins: 0 },
  { id: 22, name: 'Busy', isActive: true, isAcw: false, agentTimeoutMins: 0 },
  { id: 31, name: 'IT Issue', isActive: true, isAcw: false, agentTimeoutMins: 0 },
  { id: 32, name: 'Queue Full', isActive: true, isAcw: false, agentTimeoutMins: 0 },
  { id: 33, name: 'Skill Gap', isActive: true, isAcw: false, agentTimeoutMins: 0 },
  { id: 34, name: 'Manager Meeting', isActive: true, isAcw: false, agentTimeoutMins: 0 },
  { id: 35, name: 'System Maintenance', isActive: true, isAcw: false, agentTimeoutMins: 0 },
  { id: 58, name: 'ACW', isActive: true, isAcw: true, agentTimeoutMins: 5 },
  { id: 90, name: 'Smoke Break', isActive: false, isAcw: false, agentTimeoutMins: 0 },
];

export const ACW_CODE = UNAVAILABLE_CODES.find((c) => c.isAcw) as UnavailableCode;

export function codeNamed(name: string): UnavailableCode | undefined {
  return UNAVAILABLE_CODES.find((c) => c.name === name);
}

const [SUPPORT, SALES] = IC_TEAMS.map((t) => t.teamId);

/** Codes valid for each team: Support has every code; Sales a few (and the retired one). */
export const TEAM_CODE_IDS: Readonly<Record<number, readonly number[]>> = {
  [SUPPORT]: UNAVAILABLE_CODES.map((c) => c.id),
  [SALES]: [17, 18, 20, 22, 58, 90],
};

export function teamCodes(teamId: number): UnavailableCode[] {
  const ids = TEAM_CODE_IDS[teamId] ?? [];
  return UNAVAILABLE_CODES.filter((c) => ids.includes(c.id));
}
