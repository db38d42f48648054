import type {
  AnalyticsCapabilities,
  AnalyticsDimensionGroup,
} from '../../../analytics/analytics.source';
import type { AppConfig } from '../../../config/app-config.types';
import { DEFAULT_ANALYTICS_DIMENSIONS, DEFAULT_ANALYTICS_METRICS } from '../../../config/defaults';
import { PERFORMANCE_RULES, SKILL_RULES } from './rollup';

/**
 * What the real CXone API can answer as a metrics × dimensions query. Its historical summaries
 * give one row per entity over a window: skills (`/skills/summary`, each skill also being the
 * queue and carrying its media type, campaign and direction), agents (`/agents/performance`,
 * each with its team) and teams (`/teams/performance-total`). Rows of different families share
 * no key, so their dimensions cannot be combined; `date` works with either (one call per bucket).
 */

export const SKILL_DIMENSIONS = ['skill', 'queue', 'channel', 'campaign', 'direction'] as const;
export const PERFORMANCE_DIMENSIONS = ['agent', 'team'] as const;
export const DATE = 'date';

/** Every metric, in the order the lists show them (seed names first). */
const METRIC_ORDER = [
  'handle_time',
  'talk_time',
  'hold_time',
  'queue_time',
  'wrap_time',
  'abandon_rate',
  'service_level',
  'contacts_offered',
  'contacts_handled',
  'abandon_count',
  'contacts_within_sla',
  'contacts_out_of_sla',
  'average_speed_of_answer',
  'longest_wait',
  'occupancy',
  'working_rate',
  'login_time',
  'available_time',
  'unavailable_time',
];

const ordered = (names: Iterable<string>): string[] => {
  const set = new Set(names);
  return METRIC_ORDER.filter((m) => set.has(m));
};

export const SKILL_METRICS = ordered(Object.keys(SKILL_RULES));
export const PERFORMANCE_METRICS = ordered(Object.keys(PERFORMANCE_RULES));

const GROUPS: readonly AnalyticsDimensionGroup[] = [
  {
    source: 'the skill summaries',
    dimensions: [...SKILL_DIMENSIONS, DATE],
    metrics: SKILL_METRICS,
  },
  {
    source: 'agent performance and team totals',
    dimensions: [...PERFORMANCE_DIMENSIONS, DATE],
    metrics: PERFORMANCE_METRICS,
  },
];

const DIMENSIONS = ['channel', 'skill', 'queue', 'agent', 'campaign', 'direction', 'team', DATE];

const UNAVAILABLE: Readonly<Record<string, string>> = {
  first_contact_resolution:
    'the CXone historical summaries carry no first-contact resolution in the incontact dialect',
};

/** Same members, any order. */
function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/**
 * The dialect's lists, narrowed by ANALYTICS_ALLOWED_METRICS / _DIMENSIONS when the tenant set
 * them. Left at their defaults (the v2 lists), they do not narrow: those lists name what the v2
 * surface offers, not what a tenant wants to hide.
 */
export function incontactCapabilities(analytics: AppConfig['analytics']): AnalyticsCapabilities {
  const narrow = (all: readonly string[], configured: string[], defaults: string[]) =>
    sameSet(configured, defaults) ? [...all] : all.filter((n) => configured.includes(n));
  const metrics = narrow(METRIC_ORDER, analytics.allowedMetrics, DEFAULT_ANALYTICS_METRICS);
  const dimensions = narrow(DIMENSIONS, analytics.allowedDimensions, DEFAULT_ANALYTICS_DIMENSIONS);
  const dimensionGroups = GROUPS.map((g) => ({
    source: g.source,
    dimensions: g.dimensions.filter((d) => dimensions.includes(d)),
    metrics: g.metrics.filter((m) => metrics.includes(m)),
  })).filter((g) => g.metrics.length > 0);
  return {
    metrics,
    dimensions,
    dimensionGroups,
    unavailableMetrics: Object.fromEntries(
      Object.entries(UNAVAILABLE).filter(([m]) => !metrics.includes(m)),
    ),
  };
}
