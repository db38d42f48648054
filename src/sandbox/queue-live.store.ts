import { hash, hashString, unit } from './hash';
import { IC_SKILLS, type IcSkill } from './incontact/ic-fixtures';
import { queueMetricValue } from './queue-stats.generator';

/**
 * The live figures of every queue (a CXone skill), shared by both surfaces: the v2 queue stats
 * and the inContact skill activity answer from the same numbers. Each starts as a pure function
 * of (seed, queue); `POST /_sandbox/queues/{id}` changes any of them, which stamps the skill as
 * changed (what `updatedSince` deltas are computed from).
 */
export interface QueueLiveFigures {
  /** Longest current wait, seconds (the inContact feed carries it as `earliestQueueTime`). */
  waitTime: number;
  /** Contacts waiting; 0 exactly when waitTime is 0 unless set otherwise. */
  queueCount: number;
  agentsAvailable: number;
  agentsWorking: number;
  agentsAcw: number;
  agentsUnavailable: number;
  /** Sum of the four agent states unless set explicitly. */
  agentsLoggedIn: number;
  contactsActive: number;
  /** v2 only: the inContact feed has no abandon figure. */
  abandonCount: number;
  serviceLevel: number;
  serviceLevelGoal: number;
  serviceLevelThreshold: number;
  inSLA: number;
  outSLA: number;
  isActive: boolean;
}

export type QueueFigureName = keyof QueueLiveFigures;

/** v2 metric names accepted as aliases in the control body. */
const ALIASES: Record<string, QueueFigureName> = {
  agentCount: 'agentsAvailable',
  conversationCount: 'contactsActive',
  agentsACW: 'agentsAcw',
};

const FIGURES: QueueFigureName[] = [
  'waitTime',
  'queueCount',
  'agentsAvailable',
  'agentsWorking',
  'agentsAcw',
  'agentsUnavailable',
  'agentsLoggedIn',
  'contactsActive',
  'abandonCount',
  'serviceLevel',
  'serviceLevelGoal',
  'serviceLevelThreshold',
  'inSLA',
  'outSLA',
  'isActive',
];

export interface QueueEntry {
  skill: IcSkill;
  overrides: Partial<QueueLiveFigures>;
  changedAtMs: number;
}

export class QueueLiveStore {
  private readonly entries = new Map<number, QueueEntry>();
  /** The latest `lastPollTime` handed out: a later change is stamped after it, never at it. */
  private lastPollMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly seed: number,
    private readonly now: () => number,
  ) {
    this.reset();
  }

  reset(): void {
    const at = this.now();
    this.lastPollMs = Number.NEGATIVE_INFINITY;
    this.entries.clear();
    for (const skill of IC_SKILLS)
      this.entries.set(skill.skillId, { skill, overrides: {}, changedAtMs: at });
  }

  /** A skill by numeric id or by its v2 queue UUID. */
  find(id: string | number): QueueEntry | undefined {
    const numeric = typeof id === 'number' ? id : /^\d+$/.test(id) ? Number(id) : undefined;
    if (numeric !== undefined) return this.entries.get(numeric);
    return [...this.entries.values()].find((e) => e.skill.queueId === id);
  }

  list(): QueueEntry[] {
    return [...this.entries.values()];
  }

  /**
   * The skills changed after `sinceMs` (all of them without one), and the `lastPollTime` to
   * hand out. Changes made in the same millisecond as a poll are stamped one millisecond later,
   * so a client polling with the last `lastPollTime` sees every change exactly once.
   */
  changedSince(
    entries: QueueEntry[],
    sinceMs: number | undefined,
  ): { entries: QueueEntry[]; pollMs: number } {
    // Never before a stamp already made, or that change would be handed out twice.
    let pollMs = this.now();
    for (const e of this.entries.values()) pollMs = Math.max(pollMs, e.changedAtMs);
    this.lastPollMs = Math.max(this.lastPollMs, pollMs);
    const changed =
      sinceMs === undefined ? entries : entries.filter((e) => e.changedAtMs > sinceMs);
    return { entries: changed, pollMs };
  }

  figures(entry: QueueEntry): QueueLiveFigures {
    const defaults = this.defaults(entry.skill);
    return { ...defaults, ...entry.overrides, ...derived(defaults, entry.overrides) };
  }

  /**
   * Applies an untrusted control body (any subset of the figures, v2 aliases accepted); returns
   * the problems naming each bad field, or the new figures.
   */
  set(entry: QueueEntry, body: Record<string, unknown>): QueueLiveFigures | string[] {
    const problems: string[] = [];
    const patch: Partial<QueueLiveFigures> = {};
    for (const [raw, value] of Object.entries(body)) {
      const name = ALIASES[raw] ?? (raw as QueueFigureName);
      if (!FIGURES.includes(name)) {
        problems.push(`unknown figure "${raw}" (known: ${FIGURES.join(', ')})`);
        continue;
      }
      if (name === 'isActive') {
        if (typeof value === 'boolean') patch.isActive = value;
        else problems.push('isActive must be a boolean');
        continue;
      }
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
        problems.push(`${raw} must be a non-negative number`);
      else if (name === 'serviceLevel' && value > 100) problems.push(`${raw} must be at most 100`);
      else (patch as Record<string, number>)[name] = value;
    }
    if (problems.length > 0) return problems;
    Object.assign(entry.overrides, patch);
    entry.changedAtMs = Math.max(this.now(), this.lastPollMs + 1);
    return this.figures(entry);
  }

  private defaults(skill: IcSkill): QueueLiveFigures {
    const key = skill.queueId ?? `skill-${skill.skillId}`;
    const v2 = (m: Parameters<typeof queueMetricValue>[2]): number =>
      queueMetricValue(this.seed, key, m);
    const u = (salt: number): number => unit(hash(this.seed, hashString(key), salt, 41));
    const waitTime = v2('waitTime');
    const serviceLevel = v2('serviceLevel');
    const slaTotal = 100 + Math.floor(u(1) * 400);
    return {
      waitTime,
      queueCount: waitTime > 0 ? 1 + Math.floor(u(2) * 12) : 0,
      agentsAvailable: v2('agentCount'),
      agentsWorking: Math.floor(u(3) * 30),
      agentsAcw: Math.floor(u(4) * 6),
      agentsUnavailable: Math.floor(u(5) * 12),
      agentsLoggedIn: 0,
      contactsActive: v2('conversationCount'),
      abandonCount: v2('abandonCount'),
      serviceLevel,
      serviceLevelGoal: skill.serviceLevelGoal,
      serviceLevelThreshold: skill.serviceLevelThreshold,
      inSLA: Math.round((slaTotal * serviceLevel) / 100),
      outSLA: slaTotal - Math.round((slaTotal * serviceLevel) / 100),
      isActive: skill.isActive,
    };
  }
}

/** Figures that follow from others unless set themselves. */
function derived(
  defaults: QueueLiveFigures,
  overrides: Partial<QueueLiveFigures>,
): Partial<QueueLiveFigures> {
  const f = { ...defaults, ...overrides };
  const out: Partial<QueueLiveFigures> = {};
  if (overrides.agentsLoggedIn === undefined)
    out.agentsLoggedIn = f.agentsAvailable + f.agentsWorking + f.agentsAcw + f.agentsUnavailable;
  if (overrides.queueCount === undefined && overrides.waitTime !== undefined)
    out.queueCount = f.waitTime > 0 ? Math.max(1, defaults.queueCount) : 0;
  return out;
}
