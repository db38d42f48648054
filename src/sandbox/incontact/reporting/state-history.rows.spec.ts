import { AgentHistoryGenerator } from '../../agent-history.generator';
import { SANDBOX_FIXTURES } from '../../fixtures';
import { icAgent, INCONTACT_FIXTURES } from '../ic-fixtures';
import { IcStateHistory } from './state-history.rows';

const DAY = Date.parse('2024-05-01T00:00:00.000Z');
const v2 = new AgentHistoryGenerator(42, {
  agentId: SANDBOX_FIXTURES.agents.busy,
  changesPerDay: 500,
});
const agent = icAgent(INCONTACT_FIXTURES.agents.busy);
if (!agent) throw new Error('fixture agent missing');
const sut = new IcStateHistory(42, v2, agent);
const quirks = { stateNames: 'spec', durations: 'iso' } as const;

function seconds(iso: string): number {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/.exec(iso);
  if (!m) throw new Error(`not a short ISO duration: ${iso}`);
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

describe('IcStateHistory: the v2 history in the inContact vocabulary', () => {
  const window = sut.window(DAY, DAY + 86_400_000, 'exclude');
  const rows = sut.rows(window.firstSlot, window.count, quirks);

  it('has the same changes at the same instants as the v2 surface', () => {
    const v2Window = v2.window(DAY, DAY + 86_400_000);
    expect(window).toEqual(v2Window);
    const v2Times = Array.from(
      { length: v2Window.count },
      (_, i) => v2.record(v2Window.firstSlot + i).timestamp,
    );
    expect(rows.map((r) => r.startDate)).toEqual(v2Times);
  });

  it('uses only the published state names, ACW as an Unavailable code', () => {
    const names = new Set(rows.map((r) => r.agentStateName));
    for (const name of names)
      expect([
        'Available',
        'Unavailable',
        'InboundContact',
        'OutboundContact',
        'InboundConsult',
        'LoggedOut',
      ]).toContain(name);
    const acw = rows.find((r) => r.outStateDescription === 'ACW');
    expect(acw).toMatchObject({ agentStateName: 'Unavailable', outStateId: 58 });
    const extended = sut.rows(window.firstSlot, 8, { ...quirks, stateNames: 'extended' });
    expect(extended.map((r) => r.agentStateName)).toContain('ACW');
  });

  it('gives each row the time to the next change as its duration', () => {
    for (let i = 0; i + 1 < 50; i += 1) {
      const gap =
        (Date.parse(String(rows[i + 1].startDate)) - Date.parse(String(rows[i].startDate))) / 1000;
      expect(seconds(String(rows[i].duration))).toBeCloseTo(gap, 3);
    }
    const asSeconds = sut.rows(window.firstSlot, 1, { ...quirks, durations: 'seconds' })[0];
    expect(asSeconds.duration).toBe(Math.round(seconds(String(rows[0].duration))));
  });

  it('numbers states within a session and starts a new session after each logout', () => {
    for (let i = 1; i < rows.length; i += 1) {
      const [before, row] = [rows[i - 1], rows[i]];
      if (before.agentStateName === 'LoggedOut') {
        expect(row.stateIndex).toBe(1);
        expect(row.agentSessionId).not.toBe(before.agentSessionId);
      } else {
        expect(row.stateIndex).toBe(Number(before.stateIndex) + 1);
        expect(row.agentSessionId).toBe(before.agentSessionId);
      }
    }
  });

  it('fills contact fields only on contact states', () => {
    for (const row of rows) {
      const contact = ['InboundContact', 'OutboundContact', 'InboundConsult'].includes(
        String(row.agentStateName),
      );
      expect(Number(row.contactId) > 0).toBe(contact);
      expect(Number(row.skillId) > 0).toBe(contact);
      expect(row.isOutbound).toBe(row.agentStateName === 'OutboundContact');
    }
  });

  it('includes the state open at startDate only under `historyStraddle: include`', () => {
    const start = DAY + 3_600_000;
    const inside = sut.window(start, start + 3_600_000, 'exclude');
    const straddle = sut.window(start, start + 3_600_000, 'include');
    expect(straddle).toEqual({ firstSlot: inside.firstSlot - 1, count: inside.count + 1 });
    const first = sut.rows(straddle.firstSlot, 1, quirks)[0];
    expect(Date.parse(String(first.startDate))).toBeLessThan(start);
  });

  it('cuts the open state off at startDate under `historyStraddle: clip`', () => {
    const start = DAY + 3_600_000;
    const included = sut.window(start, start + 3_600_000, 'include');
    const clipped = sut.window(start, start + 3_600_000, 'clip');
    expect(clipped).toEqual({ ...included, clipAtMs: start });
    const seconds = { ...quirks, durations: 'seconds' as const };
    const [whole, second] = sut.rows(included.firstSlot, 2, seconds);
    const [cut, secondCut] = sut.rows(clipped.firstSlot, 2, seconds, clipped.clipAtMs);
    expect(cut).toMatchObject({
      stateIndex: whole.stateIndex,
      agentSessionId: whole.agentSessionId,
    });
    expect(Date.parse(String(cut.startDate))).toBe(start);
    const lost = (start - Date.parse(String(whole.startDate))) / 1000;
    expect(Number(cut.duration)).toBeCloseTo(Number(whole.duration) - lost, 0);
    expect(secondCut).toEqual(second);
  });
});
