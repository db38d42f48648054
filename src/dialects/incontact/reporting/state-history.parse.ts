import type { AgentStateChange } from '../../../reporting/agent-history/agent-history.source';
import { CxoneRecord } from '../normalise/record';
import { readAcdPage, type AcdPage } from './acd-paging';

/** One `agentStateHistory[]` row, read through the normalisation rules. */
export interface StateRow {
  change: AgentStateChange;
  /** Ordering within an instant: the session, then the state's index in it. */
  sessionId: number;
  stateIndex: number;
}

/** `agentStateId` typed, as text, or missing (then the state name stands in for it). */
function stateIdOf(row: CxoneRecord, stateName: string): number | string {
  const raw = row.value('agentStateId');
  if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
  if (typeof raw === 'string' && raw.trim() !== '') {
    return /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw.trim();
  }
  return stateName;
}

/**
 * A state-history row → a state change. `previousState` is not in the feed: it is filled in
 * once the rows of every page and day are merged and sorted.
 */
export function parseStateRow(raw: unknown, path: string, agentId: string): StateRow {
  const row = CxoneRecord.of(raw, path);
  const stateName = row.requiredText('agentStateName');
  const seconds = row.seconds('duration');
  const change: AgentStateChange = {
    timestampMs: row.requiredInstantMs('startDate'),
    agentId: row.id('agentId') ?? agentId,
    stateId: stateIdOf(row, stateName),
    stateName,
    previousState: null,
  };
  if (seconds !== null) change.durationMs = Math.round(seconds * 1000);
  const details = {
    reason: row.text(['outStateDescription', 'outStateName']),
    skillName: row.text('skillName'),
    contactId: row.id('contactId'),
    mediaType: row.text(['mediaTypeName', 'mediaName']),
    teamId: row.id(['teamId', 'teamNo']),
  };
  for (const [key, value] of Object.entries(details)) {
    if (value !== null) (change as unknown as Record<string, string>)[key] = value;
  }
  return {
    change,
    sessionId: row.number('agentSessionId') ?? 0,
    stateIndex: row.number('stateIndex') ?? 0,
  };
}

/** One page of `GET /agents/{agentId}/state-history`. */
export function parseStateHistoryPage(body: unknown, agentId: string): AcdPage<StateRow> {
  return readAcdPage(body, 'agentStateHistory', (raw, path) => parseStateRow(raw, path, agentId));
}

/**
 * A state's identity: its session and its index there, when the feed gives both; else its
 * instant, session, index and name (the fields that tell two rows apart).
 */
function identityOf(row: StateRow): string {
  const { change, sessionId, stateIndex } = row;
  if (sessionId !== 0 && stateIndex !== 0) return `${change.agentId}|${sessionId}|${stateIndex}`;
  return `${change.agentId}|${change.timestampMs}|${sessionId}|${stateIndex}|${change.stateName}`;
}

/**
 * Rows of every page and day → the agent's changes in time order, each with the state before
 * it. A day's first row may repeat the state open at its start: with its true start (the
 * duplicate of the day before's last row), or cut off at the day's start (CXONE-API.md leaves
 * both open). Either way it is the same session and state index, so the earliest row of each
 * state is kept and the cut-off copy adds no change at the day boundary.
 */
export function toChanges(rows: readonly StateRow[]): AgentStateChange[] {
  const sorted = [...rows].sort(
    (a, b) =>
      a.change.timestampMs - b.change.timestampMs ||
      a.sessionId - b.sessionId ||
      a.stateIndex - b.stateIndex,
  );
  const seen = new Set<string>();
  const unique = sorted.filter((r) => {
    const key = identityOf(r);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique.map((r, i) => ({
    ...r.change,
    previousState: i > 0 ? unique[i - 1].change.stateName : null,
  }));
}
