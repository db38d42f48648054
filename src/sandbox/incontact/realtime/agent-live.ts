import type { SandboxState } from '../../sandbox-state';
import { type IcAgent, INCONTACT_FIXTURES } from '../ic-fixtures';
import { IcStateHistory } from '../reporting/state-history.rows';
import { UNAVAILABLE_CODES } from '../unavailable-codes';

/** An agent's current state, in the fields `/agents/states` reports. */
export interface AgentLiveState {
  agentStateId: number;
  agentStateName: string;
  outStateId: number;
  outStateDescription: string;
  isACW: boolean;
  isOutbound: boolean;
  contactId: number;
  skillId: number;
  skillName: string;
  mediaTypeId: number;
  mediaTypeName: string;
  fromAddress: string;
  toAddress: string;
  /** When this state began. */
  sinceMs: number;
}

const STATE_IDS: Record<string, number> = { Available: 1, Unavailable: 2, LoggedOut: 7 };
const S = INCONTACT_FIXTURES.statusAgents;

/** Fixed states of the agents the history generator does not drive. */
function fixedState(agent: IcAgent): { name: string; code?: string } {
  if (!agent.isActive) return { name: 'LoggedOut' };
  if (agent.agentId === S.acw) return { name: 'Unavailable', code: 'ACW' };
  if (agent.agentId === S.active || agent.agentId === S.supervisor) return { name: 'Available' };
  // The rest by id, so each of the three states is held by someone.
  const cycle = ['Available', 'Unavailable', 'Available', 'LoggedOut'];
  const name = cycle[agent.agentId % cycle.length];
  return name === 'Unavailable' ? { name, code: 'Break' } : { name };
}

function simple(name: string, codeName: string | undefined, sinceMs: number): AgentLiveState {
  const code = UNAVAILABLE_CODES.find((c) => c.name === codeName);
  return {
    agentStateId: STATE_IDS[name] ?? 0,
    agentStateName: name,
    outStateId: code?.id ?? 0,
    outStateDescription: code?.name ?? '',
    isACW: code?.isAcw ?? false,
    isOutbound: false,
    contactId: 0,
    skillId: 0,
    skillName: '',
    mediaTypeId: 0,
    mediaTypeName: '',
    fromAddress: '',
    toAddress: '',
    sinceMs,
  };
}

/**
 * The state an agent is in now: one set by a caller wins; then the latest change of the agent's
 * simulated history (the same sequence both surfaces' history routes serve); else a fixed state.
 */
export function agentLiveState(state: SandboxState, agent: IcAgent): AgentLiveState {
  const ic = state.incontact;
  const set = ic.setStates.get(agent.agentId);
  if (set) {
    const code = UNAVAILABLE_CODES.find((c) => c.id === set.outStateId);
    return simple(set.name, code?.name, set.atMs);
  }
  const generator = agent.v2Id === undefined ? undefined : state.history(agent.v2Id);
  if (generator?.hasChanges()) {
    const history = new IcStateHistory(state.options.seed, generator, agent);
    const slot = history.slotAt(state.now()) ?? 0;
    const row = history.row(slot, slot, { stateNames: ic.quirks.stateNames, durations: 'iso' });
    return {
      agentStateId: Number(row.agentStateId),
      agentStateName: String(row.agentStateName),
      outStateId: Number(row.outStateId),
      outStateDescription: String(row.outStateDescription),
      isACW: row.outStateDescription === 'ACW' || row.agentStateName === 'ACW',
      isOutbound: row.isOutbound === true,
      contactId: Number(row.contactId),
      skillId: Number(row.skillId),
      skillName: String(row.skillName),
      mediaTypeId: Number(row.mediaTypeId),
      mediaTypeName: String(row.mediaTypeName),
      fromAddress: String(row.fromAddress),
      toAddress: String(row.toAddress),
      sinceMs: Date.parse(String(row.startDate)),
    };
  }
  const fixed = generator ? { name: 'Available' } : fixedState(agent);
  return simple(fixed.name, fixed.code, ic.startedAtMs);
}
