import { DateTime, IANAZone } from 'luxon';
import { toIsoUtc } from '../common/iso-instant';
import type { AgentStateChange } from './agent-history.source';
import { durationsMs, StateTotals } from './state-history.math';

/** Formats an instant as ISO 8601 in a zone, e.g. `2026-03-29T03:00:04.512+02:00`. */
export type InstantFormatter = (ms: number) => string;

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * An ISO formatter for a zone: `Z` for UTC (exactly as before zones existed), else the local
 * wall time with the zone's offset at that instant. The offset comes from the IANA database
 * (Luxon); the formatting itself is plain, because a busy agent's day is 10 000 timestamps.
 */
export function zonedIsoFormatter(timeZone: string): InstantFormatter {
  if (timeZone === 'UTC') return toIsoUtc;
  const zone = IANAZone.create(timeZone);
  return (ms) => {
    const offsetMin = zone.offset(ms);
    const local = new Date(ms + offsetMin * 60_000).toISOString().slice(0, -1);
    const sign = offsetMin < 0 ? '-' : '+';
    const abs = Math.abs(offsetMin);
    return `${local}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  };
}

/** One local calendar day of the window (cut at the window's edges) and the time in each state. */
export interface LocalDaySummary {
  date: string;
  start: string;
  end: string;
  /** Changes into a state that day (count) and the seconds spent in it within the day. */
  byState: Record<string, StateTotals>;
}

interface LocalDay {
  startMs: number;
  endMs: number;
  date: string;
  start: string;
  end: string;
}

/** The local calendar days touching [startMs, endMs), each cut at the window's edges. */
function localDays(startMs: number, endMs: number, timeZone: string): LocalDay[] {
  const format = zonedIsoFormatter(timeZone);
  const days: LocalDay[] = [];
  let day = DateTime.fromMillis(startMs, { zone: timeZone }).startOf('day');
  while (day.toMillis() < endMs) {
    const next = day.plus({ days: 1 });
    const s = Math.max(startMs, day.toMillis());
    const e = Math.min(endMs, next.toMillis());
    days.push({
      startMs: s,
      endMs: e,
      date: day.toISODate() ?? '',
      start: format(s),
      end: format(e),
    });
    day = next;
  }
  return days;
}

/**
 * Splits the time in each state at local midnights of `timeZone`: a state entered at 23:50 and
 * left at 00:20 gives 10 minutes to one day and 20 to the next. A change counts on the day it
 * happened. Days follow DST (23 or 25 hours).
 */
export function summarizeByLocalDay(
  changes: readonly AgentStateChange[],
  window: { startMs: number; endMs: number },
  timeZone: string,
): LocalDaySummary[] {
  const days = localDays(window.startMs, window.endMs, timeZone);
  const totals = days.map(() => new Map<string, { count: number; ms: number }>());
  const durations = durationsMs(changes, window.endMs);
  let day = 0;
  changes.forEach((change, i) => {
    while (day < days.length - 1 && change.timestampMs >= days[day].endMs) day += 1;
    add(totals[day], change.stateName, 1, 0);
    let from = change.timestampMs;
    const until = from + durations[i];
    for (let d = day; d < days.length && from < until; d += 1) {
      const cut = Math.min(until, days[d].endMs);
      if (cut > from) add(totals[d], change.stateName, 0, cut - from);
      from = cut;
    }
  });
  return days.map((d, i) => ({
    date: d.date,
    start: d.start,
    end: d.end,
    byState: Object.fromEntries(
      [...totals[i]].map(([name, t]) => [name, { count: t.count, seconds: t.ms / 1000 }]),
    ),
  }));
}

function add(
  map: Map<string, { count: number; ms: number }>,
  state: string,
  count: number,
  ms: number,
): void {
  const t = map.get(state) ?? { count: 0, ms: 0 };
  t.count += count;
  t.ms += ms;
  map.set(state, t);
}
