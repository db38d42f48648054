import { Inject, Injectable } from '@nestjs/common';
import { isValidTimeZone, TIME_ZONE_RULE } from '../../common/validation/time-zone';
import { Clock } from '../../common/clock/clock';
import { AppError } from '../../common/errors/app-error';
import { TabularResult } from '../../common/format/tabular-result';
import { APP_CONFIG } from '../../config/config.constants';
import { OperationBudget } from '../../cxone/operation-budget';
import type { AppConfig } from '../../config/app-config.types';
import { badIdError, canonicalId, matchesIdFormat } from '../common/id-format';
import { AGENT_HISTORY_SOURCE, type AgentHistorySource } from './agent-history.source';
import { HistoryRangeInput, resolveHistoryRange } from './history-range';
import {
  normalizeChanges,
  stateHistoryColumns,
  StateHistoryRecord,
  StateHistorySummary,
  summarizeHistory,
  toHistoryRecords,
} from './state-history.math';
import { LocalDaySummary, summarizeByLocalDay, zonedIsoFormatter } from './zoned-time';

export interface AgentStateHistory {
  agentId: string;
  /** The zone timestamps are written in and the summary's days follow. */
  timeZone: string;
  start: string;
  end: string;
  count: number;
  records: StateHistoryRecord[];
  summary: StateHistorySummary & { byDay: LocalDaySummary[] };
}

/** The window and the caller's time zone (IANA name, default UTC). */
export interface StateHistoryRequest extends HistoryRangeInput {
  timeZone?: string;
}

/** Where the request comes from: its connection's signal stops the upstream work. */
export interface StateHistoryOptions {
  signal?: AbortSignal;
}

/** An agent's state changes over a window, with how long each state lasted. */
@Injectable()
export class AgentHistoryService {
  constructor(
    @Inject(AGENT_HISTORY_SOURCE) private readonly source: AgentHistorySource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async stateHistory(
    askedId: string,
    range: StateHistoryRequest,
    options: StateHistoryOptions = {},
  ): Promise<TabularResult<StateHistoryRecord>> {
    const idFormat = this.source.agentIdFormat ?? 'uuid';
    if (!matchesIdFormat(idFormat, askedId)) throw badIdError(idFormat, 'agentId');
    const agentId = canonicalId(idFormat, askedId);
    const timeZone = resolveTimeZone(range.timeZone);
    const window = resolveHistoryRange(range, {
      nowMs: this.clock.now(),
      maxDays: this.config.reporting.maxHistoryDays,
    });
    const format = zonedIsoFormatter(timeZone);
    const changes = normalizeChanges(await this.fetch(agentId, window, options.signal), window);
    const records = toHistoryRecords(changes, window.endMs, format);
    const envelope: AgentStateHistory = {
      agentId,
      timeZone,
      start: format(window.startMs),
      end: format(window.endMs),
      count: records.length,
      records,
      summary: {
        ...summarizeHistory(changes, window.endMs, format),
        byDay: summarizeByLocalDay(changes, window, timeZone),
      },
    };
    return new TabularResult(envelope, records, stateHistoryColumns(records));
  }

  /** Every page and window of the history, bounded as one operation (deadline, calls, caller). */
  private async fetch(
    agentId: string,
    window: { startMs: number; endMs: number },
    signal: AbortSignal | undefined,
  ) {
    const { historyDeadlineMs, historyMaxUpstreamCalls } = this.config.limits;
    const budget = new OperationBudget({
      clock: this.clock,
      deadlineMs: historyDeadlineMs,
      maxCalls: historyMaxUpstreamCalls,
      caller: signal,
      what: `the state history of agent ${agentId} for this range`,
      limitName: 'HISTORY_MAX_UPSTREAM_CALLS',
      deadlineName: 'HISTORY_DEADLINE_MS',
      shrink: 'request a shorter range (start/end)',
    });
    try {
      return await this.source.fetchChanges({
        agentId,
        startMs: window.startMs,
        endMs: window.endMs,
        budget,
      });
    } catch (err) {
      // CXone's own 404 text may not name the agent; the caller should see which one.
      if (err instanceof AppError && err.code === 'UPSTREAM_NOT_FOUND') {
        throw new AppError('UPSTREAM_NOT_FOUND', `Agent ${agentId} not found`, {
          extensions: err.extensions,
          cause: err,
        });
      }
      throw err;
    } finally {
      budget.dispose();
    }
  }
}

/** `timeZone` of the query: an IANA name (400 naming the field otherwise), UTC by default. */
function resolveTimeZone(timeZone: string | undefined): string {
  if (timeZone === undefined || timeZone === '' || timeZone === 'UTC') return 'UTC';
  if (isValidTimeZone(timeZone)) return timeZone;
  throw AppError.field('timeZone', TIME_ZONE_RULE);
}
