import { hash, hashString } from './hash';
import { DAY_MS } from './iso-time';

/**
 * Agent state history, computable for any [start, end) window in O(1) per record.
 *
 * Time since the epoch is cut into fixed slots of `DAY_MS / changesPerDay` ms. Slot n holds
 * exactly one state change, at `floor(n·L) + hash(seed, agent, n) mod slotWidth`. A 24 h window
 * therefore holds changesPerDay ± 1 changes, and exactly changesPerDay when L is a whole number
 * of ms and the window starts on a slot boundary (e.g. UTC midnight for 10 000 changes/day).
 */

export interface AgentState {
  id: number;
  name: string;
  /** Only on `Unavailable`: the unavailable code the agent chose. */
  reason?: string;
}

export interface AgentHistoryRecord {
  agentId: string;
  timestamp: string;
  state: AgentState;
  previousState: AgentState;
}

export interface AgentProfile {
  agentId: string;
  changesPerDay: number;
}

export interface HistoryWindow {
  /** Slot index of the first change inside the window. */
  firstSlot: number;
  count: number;
}

const AVAILABLE: AgentState = { id: 1, name: 'Available' };
const ACW: AgentState = { id: 6, name: 'ACW' };
const CONTACT_STATES: AgentState[] = [
  { id: 3, name: 'InboundContact' },
  { id: 3, name: 'InboundContact' },
  { id: 4, name: 'OutboundContact' },
  { id: 5, name: 'Working' },
];
const UNAVAILABLE_REASONS = ['Break', 'Lunch', 'Meeting', 'Training', 'Coaching'];
const LOGGED_OUT: AgentState = { id: 7, name: 'LoggedOut' };

export class AgentHistoryGenerator {
  private readonly slotMs: number;
  private readonly agentKey: number;

  constructor(
    private readonly seed: number,
    private readonly profile: AgentProfile,
  ) {
    this.slotMs = DAY_MS / profile.changesPerDay;
    this.agentKey = hashString(profile.agentId);
  }

  /** False for an agent that never changes state (the `quiet` fixture). */
  hasChanges(): boolean {
    return this.profile.changesPerDay > 0;
  }

  /** Which changes fall in [startMs, endMs). */
  window(startMs: number, endMs: number): HistoryWindow {
    if (this.profile.changesPerDay <= 0 || endMs <= startMs) return { firstSlot: 0, count: 0 };
    let first = this.slotOf(startMs);
    if (this.changeTime(first) < startMs) first += 1;
    let last = this.slotOf(endMs - 1);
    if (this.changeTime(last) >= endMs) last -= 1;
    return { firstSlot: first, count: Math.max(0, last - first + 1) };
  }

  /** The change in slot `n`, with previousState taken from slot n−1. */
  record(slot: number): AgentHistoryRecord {
    return {
      agentId: this.profile.agentId,
      timestamp: new Date(this.changeTime(slot)).toISOString(),
      state: this.stateAt(slot),
      previousState: this.stateAt(slot - 1),
    };
  }

  changeTime(slot: number): number {
    const start = this.slotStart(slot);
    const width = this.slotStart(slot + 1) - start;
    return start + (hash(this.seed, this.agentKey, slot, 1) % width);
  }

  /**
   * A 4-step cycle (Available → contact → ACW → break/contact/logout) with hashed variants.
   * Neighbouring steps are drawn from disjoint sets, so a change never repeats its previous state.
   */
  stateAt(slot: number): AgentState {
    const h = hash(this.seed, this.agentKey, slot, 2);
    switch (((slot % 4) + 4) % 4) {
      case 0:
        return AVAILABLE;
      case 1:
        return CONTACT_STATES[h % CONTACT_STATES.length];
      case 2:
        return ACW;
      default:
        return this.interruption(h);
    }
  }

  private interruption(h: number): AgentState {
    const pick = h % 10;
    if (pick < 6) return { id: 2, name: 'Unavailable', reason: UNAVAILABLE_REASONS[pick % 5] };
    if (pick < 9) return CONTACT_STATES[pick % CONTACT_STATES.length];
    return LOGGED_OUT;
  }

  private slotStart(slot: number): number {
    return Math.floor(slot * this.slotMs);
  }

  /** Slot holding time t, corrected for the floor() rounding of fractional slot lengths. */
  private slotOf(t: number): number {
    let n = Math.floor(t / this.slotMs);
    while (this.slotStart(n + 1) <= t) n += 1;
    while (this.slotStart(n) > t) n -= 1;
    return n;
  }
}
