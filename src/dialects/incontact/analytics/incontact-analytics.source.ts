import { Inject, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import type { NormalizedQuery } from '../../../analytics/analytics-query';
import type {
  AnalyticsCapabilities,
  AnalyticsQueryOptions,
  AnalyticsSource,
  AnalyticsSourceResult,
} from '../../../analytics/analytics.source';
import { AppError } from '../../../common/errors/app-error';
import { APP_CONFIG } from '../../../config/config.constants';
import type { AppConfig } from '../../../config/app-config.types';
import { CxoneClient } from '../../../cxone/cxone.client';
import type { UpstreamCallBudget } from '../../../cxone/cxone.types';
import { toCxoneDate } from '../normalise/dates';
import type { AcdEndpoint } from '../../../config/acd-endpoints';
import { acdRoot, fetchAcdPages, pathOf, type AcdPage } from '../reporting/acd-paging';
import {
  incontactCapabilities,
  PERFORMANCE_DIMENSIONS,
  SKILL_DIMENSIONS,
  SKILL_METRICS,
} from './incontact-analytics.capabilities';
import {
  inputsOf,
  PERFORMANCE_RULES,
  rollUpFacts,
  SKILL_RULES,
  type Fact,
  type RollupRule,
} from './rollup';
import {
  parseAgentPerformance,
  parseSkillSummary,
  parseSlaSummary,
  parseTeamPerformance,
  summaryPage,
  withSlaCounts,
} from './summary.parse';

/** Which summary family answers a query. */
type Family = 'skills' | 'agents' | 'teams';

/** `/skills/sla-summary` pages: rows asked per page, and a hard stop. */
const SLA_PAGE_SIZE = 1000;
const MAX_PAGES = 100;
/** Fields the SLA summary must be fetched for (the skill summary's own counts are the fallback). */
const SLA_FIELDS = ['contactsWithinSLA', 'contactsOutOfSLA'];

interface Window {
  startDate: string;
  endDate: string;
  /** The bounds of the summary this call belongs to. */
  budget?: UpstreamCallBudget;
}

/**
 * Analytics over the real CXone API's per-entity summaries. CXone has no metrics × dimensions
 * query: each call gives one aggregate row per skill, agent or team over `[startDate, endDate)`.
 * The gateway asks once per time bucket (`bucketing: 'range'`: the bucket planner cuts the range
 * and fetches buckets with bounded concurrency, every call inside the upstream budget), groups
 * the rows by the requested dimensions and rolls them up (./rollup.ts). Filters are applied to
 * the rows, so a filter never costs another call.
 */
@Injectable()
export class IncontactAnalyticsSource implements AnalyticsSource {
  readonly bucketing = 'range' as const;
  private readonly caps: AnalyticsCapabilities;

  constructor(
    private readonly cxone: CxoneClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.caps = incontactCapabilities(config.analytics);
  }

  capabilities(): AnalyticsCapabilities {
    return this.caps;
  }

  /** One summary call per query, and the SLA summary too when a metric needs its counts. */
  callsPerQuery(query: NormalizedQuery): number {
    return familyOf(query) === 'skills' && needsSlaCounts(query.metrics) ? 2 : 1;
  }

  async query(
    query: NormalizedQuery,
    options: AnalyticsQueryOptions = {},
  ): Promise<AnalyticsSourceResult> {
    const window: Window = {
      startDate: toCxoneDate(Date.parse(query.start)),
      endDate: toCxoneDate(Date.parse(query.end)),
      budget: options.budget,
    };
    const family = familyOf(query);
    const rules: Readonly<Record<string, RollupRule>> =
      family === 'skills' ? SKILL_RULES : PERFORMANCE_RULES;
    const { facts, pages } = await this.fetchFacts(family, window, query.metrics);
    const kept = facts.filter((f) => matchesFilters(f, query));
    const dimensions = query.dimensions.filter((d) => d !== 'date');
    return { rows: rollUpFacts(kept, dimensions, query.metrics, rules), pages };
  }

  private async fetchFacts(
    family: Family,
    window: Window,
    metrics: readonly string[],
  ): Promise<{ facts: Fact[]; pages: number }> {
    switch (family) {
      case 'skills': {
        const needsSla = needsSlaCounts(metrics);
        const [skills, sla] = await Promise.all([
          this.list('skills/summary', window, summaryPage('skillSummaries', parseSkillSummary)),
          needsSla ? this.slaCounts(window) : Promise.resolve({ rows: [], pages: 0 }),
        ]);
        return { facts: withSlaCounts(skills.rows, sla.rows), pages: skills.pages + sla.pages };
      }
      case 'agents': {
        const page = summaryPage('agentPerformance', parseAgentPerformance);
        const { rows, pages } = await this.list('agents/performance', window, page);
        return { facts: rows, pages };
      }
      case 'teams': {
        const page = summaryPage('teamPerformanceTotal', parseTeamPerformance);
        const { rows, pages } = await this.list('teams/performance-total', window, page);
        return { facts: rows, pages };
      }
    }
  }

  /**
   * One summary call. These families declare no paging (CXONE-API.md §5.0: no `top`/`skip`;
   * "all rows at once" is only inferred): the call is made once, and a `_links.next` is
   * followed only when CXone sends one (never `skip` guessed past the end). An answer whose
   * `totalRecords` announces more rows than were received was capped: the query fails rather
   * than answer partial totals (see assertComplete).
   */
  private async list<T>(
    endpoint: AcdEndpoint,
    window: Window,
    parse: (body: unknown) => AcdPage<T>,
  ): Promise<{ rows: T[]; pages: number }> {
    const rows: T[] = [];
    const seen = new Set<string>();
    const { budget, ...dates } = window;
    let request = {
      operation: 'analyticsQuery' as const,
      method: 'GET' as const,
      path: this.url(endpoint),
      query: { ...dates } as Record<string, string> | undefined,
      budget,
    };
    let announced: number | null = null;
    for (let pages = 1; ; pages += 1) {
      const page = (await this.cxone.request(request, parse)).data;
      rows.push(...page.rows);
      if (page.totalRecords !== null) announced = Math.max(announced ?? 0, page.totalRecords);
      const next = page.next === undefined ? undefined : pathOf(page.next);
      if (next === undefined || page.rows.length === 0) {
        assertComplete(endpoint, announced, rows.length);
        return { rows, pages };
      }
      if (seen.has(next) || pages >= MAX_PAGES) {
        throw new AppError('UPSTREAM_ERROR', `CXone paging of /${endpoint} did not end`);
      }
      seen.add(next);
      request = { ...request, path: next, query: undefined };
    }
  }

  private async slaCounts(window: Window) {
    const { budget, ...dates } = window;
    const { rows, pages } = await fetchAcdPages({
      client: this.cxone,
      request: {
        operation: 'analyticsQuery',
        method: 'GET',
        path: this.url('skills/sla-summary'),
        query: { ...dates },
        budget,
      },
      pageSize: SLA_PAGE_SIZE,
      parse: summaryPage('serviceLevelSummaries', parseSlaSummary),
      maxPages: MAX_PAGES,
    });
    return { rows, pages: pages.length };
  }

  /** The endpoint's path at its version (CXONE_API_VERSIONS, else CXONE_API_VERSION). */
  private url(endpoint: AcdEndpoint): string {
    return `${acdRoot(this.config.cxone.incontact, endpoint)}/${endpoint}`;
  }
}

/**
 * A summary whose `totalRecords` says it has more rows than CXone sent was cut short (a cap
 * no document mentions, with no way to ask for the rest): answering its totals would
 * understate every figure without a word, so the query fails naming the endpoint.
 */
function assertComplete(endpoint: AcdEndpoint, announced: number | null, received: number): void {
  if (announced === null || announced <= received) return;
  throw new AppError(
    'UPSTREAM_ERROR',
    `CXone /${endpoint} answered ${received} of the ${announced} rows its totalRecords announces, ` +
      'and the endpoint has no documented paging: refusing to answer partial totals',
  );
}

function needsSlaCounts(metrics: readonly string[]): boolean {
  return SLA_FIELDS.some((f) => inputsOf(SKILL_RULES, metrics).has(f));
}

const SKILL_DIMS: readonly string[] = SKILL_DIMENSIONS;
const PERFORMANCE_DIMS: readonly string[] = PERFORMANCE_DIMENSIONS;

/**
 * The family that answers the query. The validator has already refused combinations no family
 * answers, so this only chooses: the skill summaries when they answer it all (also for a query
 * without dimensions), agent performance when `agent` is asked or filtered, team totals else.
 */
function familyOf(query: NormalizedQuery): Family {
  const dims = [...query.dimensions, ...query.filters.map((f) => f.dimension)].filter(
    (d) => d !== 'date',
  );
  const skillsAnswer =
    dims.every((d) => SKILL_DIMS.includes(d)) &&
    query.metrics.every((m) => SKILL_METRICS.includes(m));
  if (skillsAnswer) return 'skills';
  if (dims.includes('agent')) return 'agents';
  if (dims.every((d) => PERFORMANCE_DIMS.includes(d))) return 'teams';
  throw AppError.field('dimensions', 'these dimensions cannot be answered together');
}

/**
 * Filters compare with the value the answer shows (a skill's name, a queue's skill id, …); a
 * filter on `date` with the local date the window starts on (the bucket's `date`).
 */
function matchesFilters(fact: Fact, query: NormalizedQuery): boolean {
  return query.filters.every((f) => {
    const value = f.dimension === 'date' ? windowDate(query) : fact.dims[f.dimension];
    return value !== null && value !== undefined && f.values.includes(value);
  });
}

function windowDate(query: NormalizedQuery): string | null {
  return DateTime.fromISO(query.start, { zone: query.timeZone ?? 'UTC' }).toISODate();
}
