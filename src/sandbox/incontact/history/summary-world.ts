import { activeFactMetric, CELLS_PER_DAY, factCell, factInteractions } from '../../analytics-facts';
import { hash, unit } from '../../hash';
import { DAY_MS } from '../../iso-time';
import { agentIdOf, icSkill, skillIdOf } from '../ic-fixtures';

/**
 * The historical side of the one world: per UTC day, per skill and per agent, the contacts and
 * times behind the summary endpoints. Built from the same analytics fact cells the v2 surface
 * aggregates (a CXone skill is the v2 queue), so both surfaces describe the same days. All times
 * are integer milliseconds, so sums over agents, teams and days are exact.
 *
 * The v2 facts spread a whole contact centre's volume over six agents; here each cell keeps about
 * one contact in CONTACT_SCALE (deterministically), so an agent's day fits in a shift.
 */

/** About one v2 interaction in this many is a contact of the historical summaries. */
export const CONTACT_SCALE = 30;

export interface SkillDay {
  handled: number;
  abandoned: number;
  withinSla: number;
  handleMs: number;
  talkMs: number;
  holdMs: number;
  queueMs: number;
  wrapMs: number;
  /** Longest single wait of the day. */
  longestWaitMs: number;
}

export interface AgentDay {
  inboundHandled: number;
  outboundHandled: number;
  refused: number;
  inboundHandleMs: number;
  outboundHandleMs: number;
  inboundTalkMs: number;
  outboundTalkMs: number;
  acwMs: number;
  loginMs: number;
  unavailableMs: number;
}

export const emptySkillDay = (): SkillDay => ({
  handled: 0,
  abandoned: 0,
  withinSla: 0,
  handleMs: 0,
  talkMs: 0,
  holdMs: 0,
  queueMs: 0,
  wrapMs: 0,
  longestWaitMs: 0,
});

export const emptyAgentDay = (): AgentDay => ({
  inboundHandled: 0,
  outboundHandled: 0,
  refused: 0,
  inboundHandleMs: 0,
  outboundHandleMs: 0,
  inboundTalkMs: 0,
  outboundTalkMs: 0,
  acwMs: 0,
  loginMs: 0,
  unavailableMs: 0,
});

interface Day {
  skills: Map<number, SkillDay>;
  agents: Map<number, AgentDay>;
}

const MAX_CACHED_DAYS = 400;
const HOUR_MS = 3_600_000;

export class SummaryWorld {
  private readonly days = new Map<number, Day>();

  constructor(private readonly seed: number) {}

  /** UTC days (since the epoch) touching [startMs, endMs), as the v2 analytics counts them. */
  static daysTouching(startMs: number, endMs: number): number[] {
    const days: number[] = [];
    for (let d = Math.floor(startMs / DAY_MS); d * DAY_MS < endMs; d += 1) days.push(d);
    return days;
  }

  skillDay(day: number, skillId: number): SkillDay {
    return this.day(day).skills.get(skillId) ?? emptySkillDay();
  }

  agentDay(day: number, agentId: number): AgentDay {
    return this.day(day).agents.get(agentId) ?? emptyAgentDay();
  }

  private day(day: number): Day {
    const cached = this.days.get(day);
    if (cached) return cached;
    const built = this.build(day);
    if (this.days.size >= MAX_CACHED_DAYS) this.days.clear();
    this.days.set(day, built);
    return built;
  }

  private build(day: number): Day {
    const skills = new Map<number, SkillDay>();
    const agents = new Map<number, AgentDay>();
    const { seed } = this;
    for (let cell = 0; cell < CELLS_PER_DAY; cell += 1) {
      const raw = factInteractions(seed, day, cell);
      const n = Math.floor((raw + (hash(seed, day, cell, 71) % CONTACT_SCALE)) / CONTACT_SCALE);
      if (n === 0) continue;
      const { queue, agent } = factCell(cell);
      const metric = (m: Parameters<typeof activeFactMetric>[3]): number =>
        activeFactMetric(seed, day, cell, m);
      const ms = (seconds: number): number => Math.round(seconds * 1000);
      const rate = metric('abandon_rate');
      // Dithered, so the few contacts of a cell keep the cell's rates on average.
      const dither = (salt: number): number => unit(hash(seed, day, cell, salt));
      const abandoned = Math.floor((n * rate) / (100 - rate) + dither(73));
      const handleMs = n * ms(metric('handle_time'));
      const talkMs = n * ms(metric('talk_time'));
      const wrapMs = n * ms(metric('wrap_time'));
      const queueWaitMs = ms(metric('queue_time'));

      const skillId = skillIdOf(queue);
      const s = skills.get(skillId) ?? emptySkillDay();
      s.handled += n;
      s.abandoned += abandoned;
      s.withinSla += Math.floor((n * metric('service_level')) / 100 + dither(79));
      s.handleMs += handleMs;
      s.talkMs += talkMs;
      s.holdMs += n * ms(metric('hold_time'));
      s.queueMs += n * queueWaitMs;
      s.wrapMs += wrapMs;
      // The worst single wait: a few times the cell's average.
      s.longestWaitMs = Math.max(s.longestWaitMs, Math.round(queueWaitMs * 2.5));
      skills.set(skillId, s);

      const agentId = agentIdOf(agent);
      const a = agents.get(agentId) ?? emptyAgentDay();
      if (icSkill(skillId)?.isOutbound) {
        a.outboundHandled += n;
        a.outboundHandleMs += handleMs;
        a.outboundTalkMs += talkMs;
      } else {
        a.inboundHandled += n;
        a.inboundHandleMs += handleMs;
        a.inboundTalkMs += talkMs;
      }
      a.acwMs += wrapMs;
      // About one cell in ten also saw a contact the agent refused.
      if (unit(hash(seed, day, cell, 77)) < 0.1) a.refused += 1;
      agents.set(agentId, a);
    }
    for (const [agentId, a] of agents) this.shift(day, agentId, a);
    return { skills, agents };
  }

  /** Login and unavailable time of a working day: a shift of 7–9 h, never shorter than the work. */
  private shift(day: number, agentId: number, a: AgentDay): void {
    const busy = a.inboundHandleMs + a.outboundHandleMs + a.acwMs;
    const shift = Math.round(HOUR_MS * (7 + 2 * unit(hash(this.seed, day, agentId, 81))));
    a.loginMs = Math.max(shift, Math.round(busy * 1.25));
    const idle = a.loginMs - busy;
    a.unavailableMs = Math.round(idle * (0.15 + 0.2 * unit(hash(this.seed, day, agentId, 83))));
  }
}

/** Sums per-day figures field by field (longest wait: the maximum). */
export function addSkillDays(into: SkillDay, day: SkillDay): SkillDay {
  for (const key of Object.keys(into) as (keyof SkillDay)[])
    into[key] = key === 'longestWaitMs' ? Math.max(into[key], day[key]) : into[key] + day[key];
  return into;
}

export function addAgentDays(into: AgentDay, day: AgentDay): AgentDay {
  for (const key of Object.keys(into) as (keyof AgentDay)[]) into[key] += day[key];
  return into;
}
