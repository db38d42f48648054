import { AgentHistoryGenerator } from './agent-history.generator';
import type { AnalyticsRow } from './analytics-query';
import { ExportEventGenerator } from './export-events.generator';
import { ExportJobStore } from './export-jobs.store';
import { FaultEngine } from './faults';
import { INCONTACT_FIXTURES } from './incontact/ic-fixtures';
import { IncontactState } from './incontact/ic-state';
import { QueueLiveStore } from './queue-live.store';
import { SANDBOX_FIXTURES } from './fixtures';
import { fixturesFor, type SandboxFixtures } from './sandbox-fixtures';
import type { SandboxOptions } from './sandbox.options';
import { SandboxStats } from './sandbox-stats';
import { TokenStore } from './token.store';
import { UserStore } from './users.store';

/** Changes per day of the `moderate` agent. */
export const MODERATE_CHANGES_PER_DAY = 50;

/** Everything one sandbox instance holds; handlers get it as their only dependency. */
export class SandboxState {
  readonly tokens: TokenStore;
  readonly users: UserStore;
  readonly jobs: ExportJobStore;
  readonly faults: FaultEngine;
  readonly stats = new SandboxStats();
  readonly exportEvents: ExportEventGenerator;
  readonly fixtures: SandboxFixtures;
  /** Live queue figures, shared by the v2 queue stats and the inContact skill activity. */
  readonly queues: QueueLiveStore;
  /** The inContact surface's quirks, tokens and signing key. */
  readonly incontact: IncontactState;
  /** Aggregated analytics rows by query fingerprint (bounded by the analytics handler). */
  readonly analyticsRows = new Map<string, AnalyticsRow[]>();
  private readonly histories: Map<string, AgentHistoryGenerator>;

  constructor(
    readonly options: SandboxOptions,
    readonly now: () => number = Date.now,
  ) {
    this.tokens = new TokenStore(now);
    this.users = new UserStore(now);
    this.jobs = new ExportJobStore(now, {
      queuedMs: options.exportQueuedMs,
      runningMs: options.exportRunningMs,
    });
    this.faults = new FaultEngine(options.seed, options.faults);
    this.exportEvents = new ExportEventGenerator(
      options.seed,
      options.exportEventsPerDay,
      () => this.incontact.quirks.hostileText,
    );
    const { clientId, clientSecret, accessKeyId, accessKeySecret } = options;
    this.fixtures = fixturesFor(
      { clientId, clientSecret },
      {
        ...INCONTACT_FIXTURES,
        credentials: { clientId, clientSecret, accessKeyId, accessKeySecret },
      },
    );
    this.queues = new QueueLiveStore(options.seed, now);
    this.incontact = new IncontactState(options.incontactQuirks, now, options.seed);
    const { busy, moderate, quiet } = SANDBOX_FIXTURES.agents;
    this.histories = new Map([
      [
        busy,
        new AgentHistoryGenerator(options.seed, {
          agentId: busy,
          changesPerDay: options.historyRecords,
        }),
      ],
      [
        moderate,
        new AgentHistoryGenerator(options.seed, {
          agentId: moderate,
          changesPerDay: MODERATE_CHANGES_PER_DAY,
        }),
      ],
      [quiet, new AgentHistoryGenerator(options.seed, { agentId: quiet, changesPerDay: 0 })],
    ]);
  }

  history(agentId: string): AgentHistoryGenerator | undefined {
    return this.histories.get(agentId);
  }

  resetStats(): void {
    this.stats.reset();
    this.tokens.resetCount();
    this.incontact.accessTokens.resetCount();
    this.jobs.resetHighWater();
  }

  /** Back to the state right after start: counters, faults, jobs, tokens, user statuses. */
  resetAll(): void {
    this.resetStats();
    this.faults.reset();
    this.jobs.clear();
    this.tokens.expireAll();
    this.users.reset();
    this.queues.reset();
    this.incontact.reset();
  }
}
