import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '../../../common/errors/app-error';
import { APP_CONFIG } from '../../../config/config.constants';
import type { AppConfig } from '../../../config/app-config.types';
import { CxoneClient } from '../../../cxone/cxone.client';
import { fetchAllPages, PageResult } from '../../../cxone/paging';
import { fanOut } from '../../../cxone/rate-budget';
import { asArray, asId, asInstant, asRecord, asString } from '../../../cxone/upstream-shape';
import type {
  AgentHistoryQuery,
  AgentHistorySource,
  AgentStateChange,
} from '../../../reporting/agent-history/agent-history.source';

/** The seed dialect's largest page. */
export const HISTORY_PAGE_SIZE = 100;
/**
 * At most 500 000 changes per request: far above any real agent's month (the sandbox's busy
 * agent makes 10 000 a day), low enough that one request cannot exhaust memory.
 */
export const HISTORY_MAX_PAGES = 5000;

/** Agent history over `GET /api/v2/reporting/agents/{agentId}/history` (docs/upstream-v2.md §conventions). */
@Injectable()
export class V2AgentHistorySource implements AgentHistorySource {
  constructor(
    private readonly cxone: CxoneClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async fetchChanges(query: AgentHistoryQuery): Promise<AgentStateChange[]> {
    const start = new Date(query.startMs).toISOString();
    const end = new Date(query.endMs).toISOString();
    const path = `/api/v2/reporting/agents/${encodeURIComponent(query.agentId)}/history`;
    const all = await fetchAllPages<AgentStateChange>({
      pageSize: HISTORY_PAGE_SIZE,
      concurrency: fanOut(this.config.cxone),
      maxPages: HISTORY_MAX_PAGES,
      fetchPage: async (page) => {
        const res = await this.cxone.request(
          {
            operation: 'agentHistory',
            method: 'GET',
            path,
            query: { start, end, page, pageSize: HISTORY_PAGE_SIZE },
            budget: query.budget,
          },
          parseHistoryPage,
        );
        // The first page's total says what the whole range costs: refuse it before page 2.
        if (page === 1) {
          query.budget?.refuseIfMore(Math.ceil(res.data.totalRecords / HISTORY_PAGE_SIZE));
        }
        return res.data;
      },
    });
    if (all.truncated) {
      throw new AppError(
        'UNPROCESSABLE',
        `Agent ${query.agentId} has more than ${HISTORY_MAX_PAGES * HISTORY_PAGE_SIZE} state changes in this range; request a shorter range`,
      );
    }
    return all.records;
  }
}

/** Checks one page `{records:[{agentId,timestamp,state:{id,name},previousState:{name}}], totalRecords}`. */
export function parseHistoryPage(data: unknown): PageResult<AgentStateChange> {
  const body = asRecord(data, 'body');
  const totalRecords = body.totalRecords;
  if (typeof totalRecords !== 'number' || !Number.isInteger(totalRecords) || totalRecords < 0) {
    throw new Error('totalRecords must be a non-negative integer');
  }
  const records = asArray(body.records ?? [], 'records').map((raw, i) =>
    parseHistoryRecord(raw, `records[${i}]`),
  );
  return { records, totalRecords };
}

function parseHistoryRecord(raw: unknown, path: string): AgentStateChange {
  const record = asRecord(raw, path);
  const state = asRecord(record.state, `${path}.state`);
  const previous = record.previousState;
  const previousName =
    previous === undefined || previous === null
      ? null
      : (asRecord(previous, `${path}.previousState`).name ?? null);
  if (previousName !== null && typeof previousName !== 'string') {
    throw new Error(`${path}.previousState.name must be a string`);
  }
  return {
    timestampMs: asInstant(record.timestamp, `${path}.timestamp`),
    agentId: asString(record.agentId, `${path}.agentId`),
    stateId: asId(state.id, `${path}.state.id`),
    stateName: asString(state.name, `${path}.state.name`),
    previousState: previousName,
  };
}
