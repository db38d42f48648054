import type { AgentStateChange } from './agent-history.source';
import {
  durationsMs,
  normalizeChanges,
  summarizeHistory,
  toHistoryRecords,
} from './state-history.math';

const T0 = Date.parse('2026-01-15T00:00:00Z');
const change = (
  offsetMs: number,
  stateName: string,
  stateId: number,
  previousState: string | null = null,
): AgentStateChange => ({
  timestampMs: T0 + offsetMs,
  agentId: 'a1',
  stateId,
  stateName,
  previousState,
});

describe('state history math', () => {
  const window = { startMs: T0, endMs: T0 + 10_000 };

  it('sorts by time, drops duplicates (same timestamp and state) and changes outside the window', () => {
    const sut = normalizeChanges(
      [
        change(5000, 'ACW', 6),
        change(1000, 'Available', 1),
        change(5000, 'ACW', 6),
        change(5000, 'Available', 1),
        change(-1, 'LoggedOut', 7),
        change(10_000, 'LoggedOut', 7),
      ],
      window,
    );
    expect(sut.map((c) => [c.timestampMs - T0, c.stateName])).toEqual([
      [1000, 'Available'],
      [5000, 'ACW'],
      [5000, 'Available'],
    ]);
  });

  it('lasts each state until the next change, the last until the end', () => {
    const changes = [
      change(1000, 'Available', 1),
      change(3500, 'ACW', 6),
      change(9999, 'Available', 1),
    ];
    expect(durationsMs(changes, window.endMs)).toEqual([2500, 6499, 1]);
    expect(toHistoryRecords(changes, window.endMs).map((r) => r.durationSeconds)).toEqual([
      2.5, 6.499, 0.001,
    ]);
  });

  it('maps records to the API shape with ISO UTC timestamps', () => {
    const [sut] = toHistoryRecords([change(1234, 'ACW', 6, 'InboundContact')], window.endMs);
    expect(sut).toEqual({
      timestamp: '2026-01-15T00:00:01.234Z',
      agentId: 'a1',
      state: 'ACW',
      stateId: 6,
      previousState: 'InboundContact',
      durationSeconds: 8.766,
    });
  });

  it('summarises count and seconds per state; seconds add up to end − first change', () => {
    const changes = [
      change(1, 'Available', 1),
      change(1002, 'ACW', 6),
      change(2003, 'Available', 1),
      change(7777, 'ACW', 6),
    ];
    const sut = summarizeHistory(changes, window.endMs);
    expect(sut).toEqual({
      byState: { Available: { count: 2, seconds: 6.775 }, ACW: { count: 2, seconds: 3.224 } },
      firstChange: '2026-01-15T00:00:00.001Z',
      lastChange: '2026-01-15T00:00:07.777Z',
    });
    const total = Object.values(sut.byState).reduce((s, t) => s + t.seconds, 0);
    expect(total).toBeCloseTo((window.endMs - changes[0].timestampMs) / 1000, 9);
  });

  it('summarises no changes as an empty summary', () => {
    expect(summarizeHistory([], window.endMs)).toEqual({
      byState: {},
      firstChange: null,
      lastChange: null,
    });
  });

  it('keeps a state named __proto__ as data', () => {
    const sut = summarizeHistory([change(0, '__proto__', 9)], window.endMs);
    expect(Object.keys(sut.byState)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(sut.byState)).toBe(Object.prototype);
  });
});
