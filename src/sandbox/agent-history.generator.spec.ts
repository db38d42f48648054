import { AgentHistoryGenerator } from './agent-history.generator';
import { DAY_MS } from './iso-time';

const midnight = Date.parse('2024-03-01T00:00:00.000Z');

function records(sut: AgentHistoryGenerator, start: number, end: number) {
  const { firstSlot, count } = sut.window(start, end);
  return Array.from({ length: count }, (_, i) => sut.record(firstSlot + i));
}

describe('AgentHistoryGenerator', () => {
  const sut = new AgentHistoryGenerator(42, { agentId: 'agent-1', changesPerDay: 10_000 });

  it('holds exactly changesPerDay changes in a midnight-aligned day when the slot is whole ms', () => {
    expect(sut.window(midnight, midnight + DAY_MS).count).toBe(10_000);
  });

  it('holds changesPerDay ± 1 changes in any 24 h window', () => {
    for (let i = 0; i < 50; i += 1) {
      const start = midnight + i * 7_777_777 + i * 13;
      const { count } = sut.window(start, start + DAY_MS);
      expect(Math.abs(count - 10_000)).toBeLessThanOrEqual(1);
    }
  });

  it('returns only changes inside [start, end), ascending, each from its previous state', () => {
    const start = midnight + 123_456;
    const end = start + 3_600_000;
    const list = records(sut, start, end);
    expect(list.length).toBeGreaterThan(400);
    let previous = sut.stateAt(sut.window(start, end).firstSlot - 1);
    let lastTime = start - 1;
    for (const record of list) {
      const t = Date.parse(record.timestamp);
      expect(t).toBeGreaterThan(lastTime);
      expect(t).toBeLessThan(end);
      expect(record.previousState).toEqual(previous);
      expect(record.state).not.toEqual(record.previousState);
      previous = record.state;
      lastTime = t;
    }
  });

  it('is deterministic per seed and differs across seeds', () => {
    const again = new AgentHistoryGenerator(42, { agentId: 'agent-1', changesPerDay: 10_000 });
    const other = new AgentHistoryGenerator(43, { agentId: 'agent-1', changesPerDay: 10_000 });
    const { firstSlot } = sut.window(midnight, midnight + DAY_MS);
    expect(again.record(firstSlot + 5)).toEqual(sut.record(firstSlot + 5));
    expect(other.record(firstSlot + 5).timestamp).not.toBe(sut.record(firstSlot + 5).timestamp);
  });

  it('serves the same record for a moment whatever window asks for it', () => {
    const wide = records(sut, midnight, midnight + 600_000);
    const narrow = records(sut, Date.parse(wide[10].timestamp), midnight + 600_000);
    expect(narrow[0]).toEqual(wide[10]);
  });

  it('handles fractional slot lengths and agents without changes', () => {
    const odd = new AgentHistoryGenerator(1, { agentId: 'x', changesPerDay: 7 });
    expect(Math.abs(odd.window(midnight + 5, midnight + 5 + DAY_MS).count - 7)).toBeLessThanOrEqual(
      1,
    );
    const quiet = new AgentHistoryGenerator(1, { agentId: 'q', changesPerDay: 0 });
    expect(quiet.window(midnight, midnight + DAY_MS)).toEqual({ firstSlot: 0, count: 0 });
  });
});
