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
  /** CXone's time as of the latest poll, and our clock at that poll (for ages such as waits). */
  private serverTime: { serverMs: number; localMs: number } | undefined;

  /** `updatedSince` for the next poll: the epoch until a full poll happened or when it is due. */
  nextSince(nowMs: number, fullEveryMs: number): number {
    const due = this.fullAtMs === undefined || nowMs - this.fullAtMs >= fullEveryMs;
    return due || this.sinceMs === undefined ? EPOCH_MS : this.sinceMs;
  }

  /**
   * Applies one poll's skills, asked `sinceMs` at our time `nowMs`. An empty delta without a
   * `lastPollTime` (a 204: nothing changed) keeps `updatedSince`; rows without one leave no
   * safe point to continue from, so the next poll is a full one.
   */
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
    const previous = this.serverTime;
    if (poll.lastPollTimeMs !== null) {
      this.sinceMs = poll.lastPollTimeMs;
      this.serverTime = { serverMs: poll.lastPollTimeMs, localMs: poll.nowMs };
    } else if (full || skills.length > 0) {
      this.sinceMs = undefined;
      this.fullAtMs = undefined;
      this.serverTime = { serverMs: poll.nowMs, localMs: poll.nowMs };
    } else if (previous) {
      // Nothing changed: CXone's clock has moved on by as much as ours since the last answer.
      this.serverTime = {
        serverMs: previous.serverMs + (poll.nowMs - previous.localMs),
        localMs: poll.nowMs,
      };
    }
  }

  /** Active skills, by skill id (numeric order). */
  list(): SkillActivity[] {
    return [...this.skills.values()].sort((a, b) => Number(a.skillId) - Number(b.skillId));
  }

  get(skillId: string): SkillActivity | undefined {
    return this.skills.get(skillId);
  }

  /** CXone's time as of the latest poll (ours before any answer). */
  asOfMs(fallbackMs: number): number {
    return this.serverTime?.serverMs ?? fallbackMs;
  }
}
