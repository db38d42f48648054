import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock/clock';
import { AppError } from '../../common/errors/app-error';
import { TabularResult } from '../../common/format/tabular-result';
import { APP_CONFIG } from '../../config/config.constants';
import type { AppConfig } from '../../config/app-config.types';
import { toIsoUtc } from '../common/iso-instant';
import { AGENT_HISTORY_SOURCE, type AgentHistorySource } from './agent-history.source';
import { HistoryRangeInput, resolveHistoryRange } from './history-range';
import {
  normalizeChanges,
  STATE_HISTORY_COLUMNS,
  StateHistoryRecord,
  StateHistorySummary,
  summarizeHistory,
  toHistoryRecords,
} from './state-history.math';

export interface AgentStateHistory {
  agentId: string;
  start: string;
  end: string;
  count: number;
  records: StateHistoryRecord[];
  summary: StateHistorySummary;
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
    agentId: string,
    range: HistoryRangeInput,
  ): Promise<TabularResult<StateHistoryRecord>> {
    const window = resolveHistoryRange(range, {
      nowMs: this.clock.now(),
      maxDays: this.config.reporting.maxHistoryDays,
    });
    const changes = normalizeChanges(await this.fetch(agentId, window), window);
    const records = toHistoryRecords(changes, window.endMs);
    const envelope: AgentStateHistory = {
      agentId,
      start: toIsoUtc(window.startMs),
      end: toIsoUtc(window.endMs),
      count: records.length,
      records,
      summary: summarizeHistory(changes, window.endMs),
    };
    return new TabularResult(envelope, records, STATE_HISTORY_COLUMNS);
  }

  private async fetch(agentId: string, window: { startMs: number; endMs: number }) {
    try {
      return await this.source.fetchChanges({
        agentId,
        startMs: window.startMs,
        endMs: window.endMs,
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
    }
  }
}
