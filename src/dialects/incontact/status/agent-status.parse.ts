import type { UserPauseReason } from '../../../status/status.types';
import { CxoneRecord } from '../normalise/record';
import { payloadList } from '../normalise/wrappers';
import { readAcdPage, type AcdPage } from '../reporting/acd-paging';

/** The parts of `GET /agents/{agentId|userId}` the status checks need. */
export interface AcdAgent {
  agentId: string;
  /** Absent = active (the record says nothing against it). */
  isActive: boolean;
  teamId: string | null;
}

/**
 * `{agents: [one]}` (an array even for one agent). Undefined when the list is empty: the
 * caller turns that into a 404 like an upstream one.
 */
export function parseAgentRecord(body: unknown): AcdAgent | undefined {
  const [first] = payloadList(body, 'agents');
  if (first === undefined) return undefined;
  const item = CxoneRecord.of(first, 'agents[0]');
  return {
    agentId: item.requiredId('agentId'),
    isActive: item.boolean('isActive') ?? true,
    teamId: item.id(['teamId', 'teamNo']),
  };
}

/**
 * The codes of `GET /teams/{teamId}/unavailable-codes`, under any of the names the API and its
 * clients use for one code (`outstateId`/`outStateId`/`id`/`unavailableCodeId`, and so on).
 */
export function parseTeamCodes(body: unknown): UserPauseReason[] {
  return payloadList(body, 'unavailableCodes').map((raw, i) => {
    const item = CxoneRecord.of(raw, `unavailableCodes[${i}]`);
    return {
      id: item.requiredId(['outstateId', 'outStateId', 'id', 'unavailableCodeId']),
      name: item.requiredText(['outstateName', 'outStateName', 'name', 'unavailableCode']),
      active: item.boolean('isActive') ?? true,
    };
  });
}

/** One `agentStates[]` item: whose, and whether it is in after-contact work. */
export interface AgentWrapUp {
  agentId: string;
  isAcw: boolean;
}

export function parseAgentStatesPage(body: unknown): AcdPage<AgentWrapUp> {
  return readAcdPage(body, 'agentStates', (raw, path) => {
    const item = CxoneRecord.of(raw, path);
    return {
      agentId: item.requiredId('agentId'),
      isAcw: item.boolean(['isACW', 'isAcw']) ?? false,
    };
  });
}

/** The answer of a state change or logout has no schema: any body (or none) is accepted. */
export function acceptAnyBody(): Record<string, never> {
  return {};
}
