import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../../common/clock/clock';
import { APP_CONFIG } from '../../../config/config.constants';
import type { AppConfig } from '../../../config/app-config.types';
import { CxoneClient } from '../../../cxone/cxone.client';
import {
  QUEUE_METRIC_NAMES,
  type QueueStatsEntry,
  type QueueStatsQuery,
  type QueueStatsSource,
} from '../../../reporting/queue-stats/queue-stats.source';
import { toCxoneDate } from '../normalise/dates';
import { acdRoot, fetchAcdPages } from './acd-paging';
import { parseSkillActivityPage, toQueueEntry, type SkillActivity } from './skill-activity.parse';
import { SkillSnapshot } from './skill-snapshot';

/** A full poll this often heals skills removed without an `isActive=false` delta. */
export const FULL_POLL_EVERY_MS = 5 * 60_000;
const SKILL_PAGE_SIZE = 1000;
const MAX_SKILL_PAGES = 100;

/**
 * Queue statistics over `GET {acd}/skills/activity` (a queue is a CXone skill). The first poll
 * asks from the epoch; later ones pass the previous `lastPollTime` as `updatedSince` and merge
 * the few skills that changed into the snapshot, so a dashboard wall costs one small upstream
 * call per cache lifetime. Concurrent callers share one poll.
 */
@Injectable()
export class IncontactQueueStatsSource implements QueueStatsSource {
  readonly metrics = QUEUE_METRIC_NAMES;
  readonly queueIdFormat = 'positive-integer' as const;
  private readonly snapshot = new SkillSnapshot();
  private inflight: Promise<void> | undefined;

  constructor(
    private readonly cxone: CxoneClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async fetchStats(query: QueueStatsQuery): Promise<QueueStatsEntry[]> {
    this.inflight ??= this.poll().finally(() => {
      this.inflight = undefined;
    });
    await this.inflight;
    const asOfMs = this.snapshot.asOfMs(this.clock.now());
    const skills: SkillActivity[] = query.queueIds.length
      ? query.queueIds.flatMap((id) => this.snapshot.get(id) ?? [])
      : this.snapshot.list();
    return skills.map((s) => toQueueEntry(s, asOfMs));
  }

  private async poll(): Promise<void> {
    const nowMs = this.clock.now();
    const sinceMs = this.snapshot.nextSince(nowMs, FULL_POLL_EVERY_MS);
    const { rows, pages } = await fetchAcdPages({
      client: this.cxone,
      request: {
        operation: 'queueStats',
        method: 'GET',
        path: `${acdRoot(this.config.cxone.incontact, 'skills/activity')}/skills/activity`,
        query: { updatedSince: toCxoneDate(sinceMs) },
      },
      pageSize: SKILL_PAGE_SIZE,
      parse: parseSkillActivityPage,
      maxPages: MAX_SKILL_PAGES,
    });
    // The first page's poll time: nothing that changed after it can be missed by the next delta.
    const lastPollTimeMs = pages[0]?.lastPollTimeMs ?? null;
    this.snapshot.apply(rows, { sinceMs, lastPollTimeMs, nowMs });
  }
}
