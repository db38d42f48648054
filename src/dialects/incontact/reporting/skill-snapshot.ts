import type { SkillActivity } from './skill-activity.parse';

/** The epoch: `updatedSince` for a full poll (every skill). */
export const EPOCH_MS = 0;

/**
 * The cached picture of every active skill, kept current by delta polls: each poll's skills
 * replace their entries, skills reported inactive leave, and the poll's `lastPollTime` is the
 * next `updatedSince`. A full poll (from the epoch) replaces the whole picture, which also
 * drops skills deleted without ever being reported inactive.
 */
export class SkillSnapshot {
  private readonly skills = new Map<string, SkillActivity>();
  private sinceMs: number | undefined;
  private fullAtMs: number | undefined;
  /** Server time of the latest poll (its `lastPollTime`), for ages such as the longest wait. */
  private asOf: number | undefined;

  /** `updatedSince` for the next poll: the epoch until a full poll happened or when it is due. */
  nextSince(nowMs: number, fullEveryMs: number): number {
    const due = this.fullAtMs === undefined || nowMs - this.fullAtMs >= fullEveryMs;
    return due || this.sinceMs === undefined ? EPOCH_MS : this.sinceMs;
  }

  /** Applies one poll's skills, asked `sinceMs`; `lastPollTimeMs` null keeps the next poll full. */
  apply(
    skills: readonly SkillActivity[],
    poll: { sinceMs: number; lastPollTimeMs: number | null; nowMs: number },
  ): void {
    const full = poll.sinceMs === EPOCH_MS;
    if (full) {
      this.skills.clear();
      this.fullAtMs = poll.nowMs;
    }
    for (const skill of skills) {
      if (skill.isActive) this.skills.set(skill.skillId, skill);
      else this.skills.delete(skill.skillId);
    }
    this.sinceMs = poll.lastPollTimeMs ?? undefined;
    if (this.sinceMs === undefined) this.fullAtMs = undefined;
    this.asOf = poll.lastPollTimeMs ?? poll.nowMs;
  }

  /** Active skills, by skill id (numeric order). */
  list(): SkillActivity[] {
    return [...this.skills.values()].sort((a, b) => Number(a.skillId) - Number(b.skillId));
  }

  get(skillId: string): SkillActivity | undefined {
    return this.skills.get(skillId);
  }

  asOfMs(fallbackMs: number): number {
    return this.asOf ?? fallbackMs;
  }
}
