import { toIsoUtc } from '../common/iso-instant';
import type { AgentStateChange, StateChangeDetails } from './agent-history.source';

/** One row of the state history, as the API returns it (details only where upstream has them). */
export interface StateHistoryRecord extends StateChangeDetails {
  timestamp: string;
  agentId: string;
  state: string;
  stateId: number | string;
  previousState: string | null;
  /** Seconds until the next change (or until the window's end for the last one). */
  durationSeconds: number;
}

export interface StateTotals {
  count: number;
  seconds: number;
}

export interface StateHistorySummary {
  byState: Record<string, StateTotals>;
  firstChange: string | null;
  lastChange: string | null;
}

/** Column order of CSV / NDJSON rows. */
export const STATE_HISTORY_COLUMNS = [
  'timestamp',
  'agentId',
  'state',
  'stateId',
  'previousState',
  'durationSeconds',
] as const;

/** Detail columns, appended to CSV / NDJSON rows when any record carries them. */
export const STATE_DETAIL_COLUMNS = [
  'reason',
  'skillName',
  'contactId',
  'mediaType',
  'teamId',
] as const satisfies readonly (keyof StateChangeDetails)[];

/** The columns for these records: the fixed six, then the details some record has. */
export function stateHistoryColumns(records: readonly StateHistoryRecord[]): string[] {
  const details = STATE_DETAIL_COLUMNS.filter((c) => records.some((r) => r[c] !== undefined));
  return [...STATE_HISTORY_COLUMNS, ...details];
}

/*
 * Durations are computed in whole milliseconds (upstream timestamps are truncated to the
 * millisecond when parsed) and only then divided by 1000, so every `seconds` value is exact to
 * 3 decimals and a sum of durations equals (end − first change) without float drift.
 */
const msToSeconds = (ms: number): number => ms / 1000;

/**
 * Changes inside [startMs, endMs), sorted by time (stable: upstream order breaks ties) with
 * duplicates — the same timestamp and state, as overlapping pages produce — dropped.
 */
export function normalizeChanges(
  changes: readonly AgentStateChange[],
  window: { startMs: number; endMs: number },
): AgentStateChange[] {
  const seen = new Set<string>();
  const kept: AgentStateChange[] = [];
  for (const change of changes) {
    if (change.timestampMs < window.startMs || change.timestampMs >= window.endMs) continue;
    const key = `${change.timestampMs}|${change.stateId}|${change.stateName}`;
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(change);
  }
  return kept.sort((a, b) => a.timestampMs - b.timestampMs);
}

/**
 * Milliseconds each (sorted) change lasted: upstream's own duration where it gives one (never
 * past `endMs`), else until the next change, the last until `endMs`.
 */
export function durationsMs(changes: readonly AgentStateChange[], endMs: number): number[] {
  return changes.map((change, i) => {
    const next = i + 1 < changes.length ? changes[i + 1].timestampMs : endMs;
    const ms =
      change.durationMs === undefined
        ? next - change.timestampMs
        : Math.min(change.durationMs, endMs - change.timestampMs);
    return Math.max(0, ms);
  });
}

/** API records for sorted changes, with their durations (timestamps in UTC unless told). */
export function toHistoryRecords(
  changes: readonly AgentStateChange[],
  endMs: number,
  formatInstant: (ms: number) => string = toIsoUtc,
): StateHistoryRecord[] {
  const durations = durationsMs(changes, endMs);
  return changes.map((change, i) => {
    const record: StateHistoryRecord = {
      timestamp: formatInstant(change.timestampMs),
      agentId: change.agentId,
      state: change.stateName,
      stateId: change.stateId,
      previousState: change.previousState,
      durationSeconds: msToSeconds(durations[i]),
    };
    for (const column of STATE_DETAIL_COLUMNS) {
      const value = change[column];
      if (value !== undefined) record[column] = value;
    }
    return record;
  });
}

/** Count and time per state name, plus the first and last change (null when there were none). */
export function summarizeHistory(
  changes: readonly AgentStateChange[],
  endMs: number,
  formatInstant: (ms: number) => string = toIsoUtc,
): StateHistorySummary {
  const durations = durationsMs(changes, endMs);
  const totalsMs = new Map<string, { count: number; ms: number }>();
  changes.forEach((change, i) => {
    const totals = totalsMs.get(change.stateName) ?? { count: 0, ms: 0 };
    totals.count += 1;
    totals.ms += durations[i];
    totalsMs.set(change.stateName, totals);
  });
  // fromEntries defines own properties, so a state named "__proto__" cannot touch the prototype.
  const byState: Record<string, StateTotals> = Object.fromEntries(
    [...totalsMs].map(([name, t]) => [name, { count: t.count, seconds: msToSeconds(t.ms) }]),
  );
  const last = changes.at(-1);
  return {
    byState,
    firstChange: changes.length ? formatInstant(changes[0].timestampMs) : null,
    lastChange: last ? formatInstant(last.timestampMs) : null,
  };
}
