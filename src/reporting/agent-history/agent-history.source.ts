/**
 * The agent-history capability as the reporting service needs it, independent of the upstream
 * dialect (docs/architecture.md): the seed dialect ("v2") implements it today, the inContact API later.
 */

/** One upstream state change, already checked and normalised (timestamps as epoch ms). */
export interface AgentStateChange {
  timestampMs: number;
  agentId: string;
  stateId: number | string;
  stateName: string;
  /** Name of the state before the change; null when upstream does not say. */
  previousState: string | null;
}

export interface AgentHistoryQuery {
  agentId: string;
  /** Inclusive start, epoch ms. */
  startMs: number;
  /** Exclusive end, epoch ms. */
  endMs: number;
}

export interface AgentHistorySource {
  /**
   * Every state change of the agent in [startMs, endMs), in any order and possibly with
   * duplicates (overlapping pages). Throws UPSTREAM_NOT_FOUND for an unknown agent.
   */
  fetchChanges(query: AgentHistoryQuery): Promise<AgentStateChange[]>;
}

export const AGENT_HISTORY_SOURCE = Symbol('AGENT_HISTORY_SOURCE');
