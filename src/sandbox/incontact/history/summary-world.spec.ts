import { DAY_MS } from '../../iso-time';
import { IC_AGENTS, IC_SKILLS } from '../ic-fixtures';
import { addSkillDays, emptySkillDay, SummaryWorld } from './summary-world';

const MAY_1 = Date.parse('2024-05-01T00:00:00.000Z') / DAY_MS;

describe('SummaryWorld (the days behind the historical summaries)', () => {
  const sut = new SummaryWorld(42);

  it('counts the same contacts by skill and by agent, every day', () => {
    for (let day = MAY_1; day < MAY_1 + 3; day += 1) {
      const bySkill = IC_SKILLS.reduce((s, k) => s + sut.skillDay(day, k.skillId).handled, 0);
      const byAgent = IC_AGENTS.reduce((s, a) => {
        const d = sut.agentDay(day, a.agentId);
        return s + d.inboundHandled + d.outboundHandled;
      }, 0);
      expect(bySkill).toBeGreaterThan(0);
      expect(byAgent).toBe(bySkill);
    }
  });

  it('books the outbound skill as outbound work and nothing on the retired skill', () => {
    const outbound = IC_SKILLS.find((s) => s.isOutbound);
    const retired = IC_SKILLS.find((s) => !s.isActive);
    if (!outbound || !retired) throw new Error('fixtures changed');
    const outboundHandled = IC_AGENTS.reduce(
      (s, a) => s + sut.agentDay(MAY_1, a.agentId).outboundHandled,
      0,
    );
    expect(outboundHandled).toBe(sut.skillDay(MAY_1, outbound.skillId).handled);
    expect(sut.skillDay(MAY_1, retired.skillId)).toEqual(emptySkillDay());
  });

  it('keeps every agent day inside a shift that holds its work', () => {
    for (const agent of IC_AGENTS) {
      const d = sut.agentDay(MAY_1, agent.agentId);
      const busy = d.inboundHandleMs + d.outboundHandleMs + d.acwMs;
      if (busy === 0) continue;
      expect(d.loginMs).toBeLessThan(DAY_MS);
      expect(d.loginMs).toBeGreaterThanOrEqual(busy + d.unavailableMs);
    }
  });

  it('is a pure function of the seed and sums days exactly (longest wait: the maximum)', () => {
    const again = new SummaryWorld(42);
    const skill = IC_SKILLS[0].skillId;
    expect(again.skillDay(MAY_1, skill)).toEqual(sut.skillDay(MAY_1, skill));
    expect(new SummaryWorld(7).skillDay(MAY_1, skill)).not.toEqual(sut.skillDay(MAY_1, skill));
    const [a, b] = [sut.skillDay(MAY_1, skill), sut.skillDay(MAY_1 + 1, skill)];
    const both = addSkillDays(addSkillDays(emptySkillDay(), a), b);
    expect(both.handled).toBe(a.handled + b.handled);
    expect(both.longestWaitMs).toBe(Math.max(a.longestWaitMs, b.longestWaitMs));
  });

  it('covers every UTC day touching a window, like the v2 analytics', () => {
    const start = MAY_1 * DAY_MS;
    expect(SummaryWorld.daysTouching(start, start + DAY_MS)).toEqual([MAY_1]);
    expect(SummaryWorld.daysTouching(start + 3_600_000, start + DAY_MS + 1)).toEqual([
      MAY_1,
      MAY_1 + 1,
    ]);
  });
});
