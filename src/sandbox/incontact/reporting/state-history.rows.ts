import type { AgentHistoryGenerator, AgentState } from '../../agent-history.generator';
import { hash } from '../../hash';
import { maybeHostile } from '../../hostile-text';
import { IC_SKILLS, type IcAgent, type IcSkill } from '../ic-fixtures';
import type { IncontactQuirks } from '../quirks';
import { ACW_CODE, codeNamed } from '../unavailable-codes';
import { isoDuration } from '../values';

/**
 * The inContact state-history rows of one agent, built from the same changes the v2 surface
 * serves (same instants, same sequence), in the real feed's vocabulary and fields.
 */

/** The published state vocabulary, with the v2 generator's states mapped onto it. */
function specState(state: AgentState): { id: number; name: string; outState?: string } {
  switch (state.name) {
    case 'Working':
      return { id: 5, name: 'InboundConsult' };
    case 'ACW':
      // CXone models after-call work as an Unavailable code flagged ACW.
      return { id: 2, name: 'Unavailable', outState: ACW_CODE.name };
    case 'Unavailable':
      return { id: 2, name: 'Unavailable', outState: state.reason };
    default:
      return { id: state.id, name: state.name };
  }
}

/** `extended`: names outside the published enum (ACW, Working) reach the client as they are. */
function extendedState(state: AgentState): { id: number; name: string; outState?: string } {
  return { id: state.id, name: state.name, outState: state.reason };
}

/** The quirks a row depends on; `hostileText` is optional (agent states apply it themselves). */
type RowQuirks = Pick<IncontactQuirks, 'stateNames' | 'durations'> & { hostileText?: boolean };

const CONTACT_STATES = new Set(['InboundContact', 'OutboundContact', 'Working']);
const INBOUND_SKILLS = IC_SKILLS.filter((s) => s.isActive && !s.isOutbound);
const OUTBOUND_SKILLS = IC_SKILLS.filter((s) => s.isActive && s.isOutbound);

/** Looking back this many changes for the last logout always finds one in practice (p ≈ 1e-57). */
const MAX_SESSION_SCAN = 5000;

export class IcStateHistory {
  constructor(
    private readonly seed: number,
    private readonly generator: AgentHistoryGenerator,
    readonly agent: IcAgent,
  ) {}

  /**
   * Slots of the changes in [startMs, endMs); with `include` or `clip`, also the state open at
   * startMs, which `clip` has its rows cut off at `clipAtMs` (= startMs).
   */
  window(
    startMs: number,
    endMs: number,
    straddle: IncontactQuirks['historyStraddle'],
  ): { firstSlot: number; count: number; clipAtMs?: number } {
    const inside = this.generator.window(startMs, endMs);
    if (straddle === 'exclude' || !this.generator.hasChanges()) return inside;
    const widened = { firstSlot: inside.firstSlot - 1, count: inside.count + 1 };
    return straddle === 'clip' ? { ...widened, clipAtMs: startMs } : widened;
  }

  /**
   * `count` consecutive rows from `firstSlot`, sessions carried forward from the first one; a
   * row that began before `clipAtMs` starts there instead, its duration shortened.
   */
  rows(
    firstSlot: number,
    count: number,
    quirks: RowQuirks,
    clipAtMs = Number.NEGATIVE_INFINITY,
  ): Record<string, unknown>[] {
    const rows: Record<string, unknown>[] = [];
    let sessionStart = this.sessionStart(firstSlot);
    for (let slot = firstSlot; slot < firstSlot + count; slot += 1) {
      if (slot > firstSlot && this.generator.stateAt(slot - 1).name === 'LoggedOut')
        sessionStart = slot;
      rows.push(this.row(slot, sessionStart, quirks, clipAtMs));
    }
    return rows;
  }

  /** The agent's state now: the latest change at or before `atMs`. */
  slotAt(atMs: number): number | undefined {
    if (!this.generator.hasChanges()) return undefined;
    return this.generator.window(atMs + 1, atMs + 2).firstSlot - 1;
  }

  row(
    slot: number,
    sessionStart: number,
    quirks: RowQuirks,
    clipAtMs = Number.NEGATIVE_INFINITY,
  ): Record<string, unknown> {
    const raw = this.generator.stateAt(slot);
    const state = quirks.stateNames === 'spec' ? specState(raw) : extendedState(raw);
    const startMs = Math.max(this.generator.changeTime(slot), clipAtMs);
    const durationMs = this.generator.changeTime(slot + 1) - startMs;
    const code = state.outState === undefined ? undefined : codeNamed(state.outState);
    const contact = CONTACT_STATES.has(raw.name) ? this.contact(slot, raw) : undefined;
    const { agent } = this;
    const text = (value: string): string => maybeHostile(quirks.hostileText === true, value);
    return {
      stateIndex: slot - sessionStart + 1,
      startDate: new Date(startMs).toISOString(),
      agentId: agent.agentId,
      agentStateId: state.id,
      agentStateName: text(state.name),
      agentSessionId: 900_000_000 + sessionStart * 16 + (agent.agentId % 16),
      contactId: contact?.contactId ?? 0,
      skillId: contact?.skill.skillId ?? 0,
      skillName: text(contact?.skill.skillName ?? ''),
      mediaTypeId: contact?.skill.mediaTypeId ?? 0,
      mediaTypeName: text(contact?.skill.mediaTypeName ?? ''),
      fromAddress: contact?.from ?? '',
      toAddress: contact?.to ?? '',
      outStateId: code?.id ?? 0,
      outStateDescription: text(code?.name ?? ''),
      duration:
        quirks.durations === 'iso' ? isoDuration(durationMs) : Math.round(durationMs / 1000),
      isOutbound: raw.name === 'OutboundContact',
      isNaturalCalling: false,
      stationId: agent.stationId,
      stationName: text(`Softphone-${agent.stationId}`),
      teamId: agent.teamId,
    };
  }

  /** The first slot of the session holding `slot` (a session starts after each LoggedOut). */
  private sessionStart(slot: number): number {
    for (let k = slot - 1; k >= slot - MAX_SESSION_SCAN; k -= 1)
      if (this.generator.stateAt(k).name === 'LoggedOut') return k + 1;
    return slot - MAX_SESSION_SCAN;
  }

  private contact(
    slot: number,
    state: AgentState,
  ): { contactId: number; skill: IcSkill; from: string; to: string } {
    const h = hash(this.seed, this.agent.agentId, slot, 29);
    const outbound = state.name === 'OutboundContact';
    const pool = outbound ? OUTBOUND_SKILLS : INBOUND_SKILLS;
    const skill = pool[h % pool.length];
    const customer = 1000000 + (h % 9000000);
    const contactId = 500_000_000 + (hash(this.seed, this.agent.agentId, slot, 31) % 400_000_000);
    const station = `+1303555${String(this.agent.stationId).padStart(4, '0')}`;
    switch (skill.mediaTypeId) {
      case 1:
        return {
          contactId,
          skill,
          from: `customer${customer}@example.com`,
          to: 'billing@example.com',
        };
      case 3:
        return { contactId, skill, from: `chat-${customer}`, to: skill.skillName };
      default:
        return outbound
          ? { contactId, skill, from: station, to: `+1555${customer}` }
          : { contactId, skill, from: `+1555${customer}`, to: '+18005550100' };
    }
  }
}
