/**
 * The agent-history capability as the reporting service needs it, independent of the upstream
 * dialect (docs/architecture.md): the seed dialect ("v2") implements it today, the inContact API later.
 */

import type { OperationBudget } from '../../cxone/operation-budget';
import type { IdFormat } from '../common/id-format';

/** What the real CXone feed adds to a state change when it has it (absent on the v2 surface). */
export interface StateChangeDetails {
  /** The unavailable code's name when the state is Unavailable. */
  reason?: string;
  skillName?: string;
  contactId?: string;
  /** Media type name, e.g. `Phone Call`. */
  mediaType?: string;
  teamId?: string;
}

/** One upstream state change, already checked and normalised (timestamps as epoch ms). */
export interface AgentStateChange extends StateChangeDetails {
  timestampMs: number;
  agentId: string;
  stateId: number | string;
  stateName: string;
  /** Name of the state before the change; null when upstream does not say. */
  previousState: string | null;
  /** How long upstream says the state lasted; absent: until the next change. */
  durationMs?: number;
}

export interface AgentHistoryQuery {
  agentId: string;
  /** Inclusive start, epoch ms. */
  startMs: number;
  /** Exclusive end, epoch ms. */
  endMs: number;
  /**
   * The bounds of the whole fetch: every upstream call is counted against it and stops with
   * it; a source that learns the size early (a first page's total) refuses via `refuseIfMore`.
   */
  budget?: OperationBudget;
}

export interface AgentHistorySource {
  /** How this dialect's agent ids look (default `uuid`); others are a 400 naming agentId. */
  readonly agentIdFormat?: IdFormat;
  /**
   * Every state change of the agent in [startMs, endMs), in any order and possibly with
   * duplicates (overlapping pages). Throws UPSTREAM_NOT_FOUND for an unknown agent.
   */
  fetchChanges(query: AgentHistoryQuery): Promise<AgentStateChange[]>;
}

export const AGENT_HISTORY_SOURCE = Symbol('AGENT_HISTORY_SOURCE');
