import { FakeClock } from '../../common/clock/fake-clock.fake';
import { AppError } from '../../common/errors/app-error';
import type { AppConfig } from '../../config/app-config.types';
import type {
  AgentHistoryQuery,
  AgentHistorySource,
  AgentStateChange,
} from './agent-history.source';
import { AgentHistoryService } from './agent-history.service';

const AGENT = 'a0000000-0000-4000-8000-000000000001';
const NOW = Date.parse('2026-01-15T12:00:00Z');

class FakeAgentHistorySource implements AgentHistorySource {
  readonly calls: AgentHistoryQuery[] = [];
  changes: AgentStateChange[] = [];
  error?: AppError;
  /** Runs while the fetch is under way. */
  during?: (query: AgentHistoryQuery) => void;
  fetchChanges(query: AgentHistoryQuery): Promise<AgentStateChange[]> {
    this.calls.push(query);
    this.during?.(query);
    return this.error ? Promise.reject(this.error) : Promise.resolve(this.changes);
  }
}

describe('AgentHistoryService', () => {
  let source: FakeAgentHistorySource;
  let sut: AgentHistoryService;

  beforeEach(() => {
    source = new FakeAgentHistorySource();
    const config = {
      reporting: { queueStatsTtlS: 5, maxHistoryDays: 31 },
      limits: { historyDeadlineMs: 30_000, historyMaxUpstreamCalls: 1000 },
    } as AppConfig;
    sut = new AgentHistoryService(source, config, new FakeClock(NOW));
  });

  it('asks the source for the resolved window and builds envelope, rows and columns', async () => {
    const at = (iso: string, name: string, id: number): AgentStateChange => ({
      timestampMs: Date.parse(iso),
      agentId: AGENT,
      stateId: id,
      stateName: name,
      previousState: null,
    });
    source.changes = [
      at('2026-01-15T11:00:00Z', 'ACW', 6),
      at('2026-01-15T10:00:00Z', 'Available', 1),
    ];
    const result = await sut.stateHistory(AGENT, {
      start: '2026-01-15T09:00:00Z',
      end: '2026-01-16T00:00:00Z',
    });
    expect(source.calls).toMatchObject([
      { agentId: AGENT, startMs: Date.parse('2026-01-15T09:00:00Z'), endMs: NOW },
    ]);
    expect(source.calls[0].budget?.maxCalls).toBe(1000);
    expect(result.envelope).toMatchObject({
      agentId: AGENT,
      start: '2026-01-15T09:00:00.000Z',
      end: '2026-01-15T12:00:00.000Z',
      count: 2,
      summary: {
        byState: { Available: { count: 1, seconds: 3600 }, ACW: { count: 1, seconds: 3600 } },
      },
    });
    expect(result.rows.map((r) => r.state)).toEqual(['Available', 'ACW']);
    expect(result.columns).toEqual([
      'timestamp',
      'agentId',
      'state',
      'stateId',
      'previousState',
      'durationSeconds',
    ]);
  });

  it("hands the source a budget that stops with the caller's connection", async () => {
    const caller = new AbortController();
    const seen: boolean[] = [];
    source.during = (query) => {
      seen.push(query.budget?.signal.aborted ?? false);
      caller.abort();
      seen.push(query.budget?.signal.aborted ?? false);
    };
    await sut.stateHistory(AGENT, {}, { signal: caller.signal });
    expect(seen).toEqual([false, true]);
  });

  it('names the agent when CXone does not know it', async () => {
    source.error = new AppError('UPSTREAM_NOT_FOUND', 'CXone answered agentHistory with HTTP 404');
    await expect(sut.stateHistory(AGENT, {})).rejects.toMatchObject({
      code: 'UPSTREAM_NOT_FOUND',
      message: `Agent ${AGENT} not found`,
    });
  });

  it('rejects a bad range before calling upstream', async () => {
    await expect(sut.stateHistory(AGENT, { start: 'nope' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect(source.calls).toHaveLength(0);
  });
});
