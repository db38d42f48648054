import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '../../../common/errors/app-error';
import { APP_CONFIG } from '../../../config/config.constants';
import type { AppConfig } from '../../../config/app-config.types';
import { CxoneClient } from '../../../cxone/cxone.client';
import { fanOut } from '../../../cxone/rate-budget';
import type {
  AgentHistoryQuery,
  AgentHistorySource,
  AgentStateChange,
} from '../../../reporting/agent-history/agent-history.source';
import { toCxoneDate } from '../normalise/dates';
import { acdRoot, fetchAcdPages } from './acd-paging';
import { dayWindows, mapBounded } from './day-windows';
import { parseStateHistoryPage, toChanges, type StateRow } from './state-history.parse';

/** Rows asked per page; CXone may answer fewer (its maximum is not published). */
export const STATE_HISTORY_PAGE_SIZE = 1000;
/** Pages per day window: a busy agent changes state ~10 000 times a day. */
const MAX_PAGES_PER_DAY = 1000;
/** As on the v2 surface: far above any real agent's month, low enough for one request's memory. */
export const MAX_STATE_CHANGES = 500_000;

/**
 * Agent history over `GET {acd}/agents/{agentId}/state-history?startDate&endDate`: the window
 * cut into day-sized calls (the maximum span per call is not published), fetched with bounded
 * concurrency, each paged by `_links.next` or `top`/`skip`; rows merged, sorted and given the
 * state before them.
 */
@Injectable()
export class IncontactAgentHistorySource implements AgentHistorySource {
  readonly agentIdFormat = 'positive-integer' as const;

  constructor(
    private readonly cxone: CxoneClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async fetchChanges(query: AgentHistoryQuery): Promise<AgentStateChange[]> {
    const path = `${acdRoot(this.config.cxone.incontact, 'agents/state-history')}/agents/${encodeURIComponent(query.agentId)}/state-history`;
    const [first, ...rest] = dayWindows(query.startMs, query.endMs);
    // The first day alone, then an estimate of the whole range from its page count: a range
    // that cannot finish within the call limit is refused after a few calls, not hundreds.
    const firstDay = await this.fetchDay(path, query, first);
    query.budget?.refuseIfMore(firstDay.pages * (rest.length + 1));
    const perDay = await mapBounded(rest, fanOut(this.config.cxone), async (day) => {
      return (await this.fetchDay(path, query, day)).rows;
    });
    const rows = [...firstDay.rows, ...perDay.flat()];
    if (rows.length > MAX_STATE_CHANGES) {
      throw new AppError(
        'UNPROCESSABLE',
        `Agent ${query.agentId} has more than ${MAX_STATE_CHANGES} state changes in this range; request a shorter range`,
      );
    }
    return toChanges(rows);
  }

  private async fetchDay(
    path: string,
    query: AgentHistoryQuery,
    day: { startMs: number; endMs: number },
  ): Promise<{ rows: StateRow[]; pages: number }> {
    const { rows, pages } = await fetchAcdPages({
      client: this.cxone,
      request: {
        operation: 'agentHistory',
        method: 'GET',
        path,
        query: { startDate: toCxoneDate(day.startMs), endDate: toCxoneDate(day.endMs) },
        budget: query.budget,
      },
      pageSize: STATE_HISTORY_PAGE_SIZE,
      parse: (body) => parseStateHistoryPage(body, query.agentId),
      maxPages: MAX_PAGES_PER_DAY,
    });
    return { rows, pages: Math.max(1, pages.length) };
  }
}
