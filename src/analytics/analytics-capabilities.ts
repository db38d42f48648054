import type { FieldError } from '../common/errors/app-error';
import type { AppConfig } from '../config/app-config.types';
import type { AnalyticsCapabilities, AnalyticsDimensionGroup } from './analytics.source';

/**
 * The rules that follow from a dialect's capabilities: which names exist, which go together,
 * and which KPIs can be asked for. Pure, so the validator and the KPI catalogue endpoint apply
 * exactly the same lists.
 */

/** The capabilities of a source that declares none: the tenant lists, any combination. */
export function configCapabilities(analytics: AppConfig['analytics']): AnalyticsCapabilities {
  return { metrics: analytics.allowedMetrics, dimensions: analytics.allowedDimensions };
}

const list = (names: readonly string[]): string => names.join(', ');

/** The 400 for metric names outside the dialect's list; a refused metric says why. */
export function unsupportedMetricsError(
  caps: AnalyticsCapabilities,
  names: readonly string[],
): FieldError | undefined {
  const unknown = names.filter((n) => !caps.metrics.includes(n));
  if (unknown.length === 0) return undefined;
  const named = unknown.map((n) => {
    const why = caps.unavailableMetrics?.[n];
    return why ? `${n} (${why})` : n;
  });
  return {
    field: 'metrics',
    message: `unsupported metrics: ${named.join(', ')}. Allowed: ${list(caps.metrics)}`,
  };
}

/** What each group answers, for messages: "the skill summaries answer a, b with metrics x, y". */
export function describeGroups(groups: readonly AnalyticsDimensionGroup[]): string {
  return groups
    .map((g) => `${g.source} answer ${list(g.dimensions)} with metrics ${list(g.metrics)}`)
    .join('; ');
}

export interface CombinationQuery {
  metrics: readonly string[];
  dimensions: readonly string[];
  /** Dimensions named by filters: the same source has to answer them. */
  filterDimensions: readonly string[];
}

/**
 * The first group that answers the whole query (its dimensions, its filters and its metrics),
 * or undefined. A source without groups answers any combination: the result is then `null`.
 */
export function answeringGroup(
  caps: AnalyticsCapabilities,
  query: CombinationQuery,
): AnalyticsDimensionGroup | null | undefined {
  const groups = caps.dimensionGroups;
  if (!groups || groups.length === 0) return null;
  const dims = [...new Set([...query.dimensions, ...query.filterDimensions])];
  return groups.find(
    (g) =>
      dims.every((d) => g.dimensions.includes(d)) &&
      query.metrics.every((m) => g.metrics.includes(m)),
  );
}

/**
 * Why the query's names cannot be answered together: a 400 naming the combination and saying
 * which dimensions (and metrics) go together. Empty when one group answers it all. Only called
 * once every name is known, so each error is about the combination alone.
 */
export function combinationErrors(
  caps: AnalyticsCapabilities,
  query: CombinationQuery,
): FieldError[] {
  const groups = caps.dimensionGroups;
  if (answeringGroup(caps, query) !== undefined || !groups) return [];
  const dims = [...new Set([...query.dimensions, ...query.filterDimensions])];
  const byDimensions = groups.filter((g) => dims.every((d) => g.dimensions.includes(d)));
  const together = describeGroups(groups);
  if (byDimensions.length === 0) {
    const filtered = query.filterDimensions.filter((d) => !query.dimensions.includes(d));
    const what = filtered.length
      ? `dimensions ${list(query.dimensions) || '(none)'} with filters on ${list(filtered)}`
      : `dimensions ${list(dims)}`;
    return [
      {
        field: filtered.length ? 'filters' : 'dimensions',
        message:
          `${what} cannot be answered together in this dialect: ${together}. ` +
          'Choose the dimensions and filters of one group',
      },
    ];
  }
  // The dimensions fit a group: name the metrics it lacks (the group that lacks fewest).
  const lacking = byDimensions
    .map((g) => ({ g, missing: query.metrics.filter((m) => !g.metrics.includes(m)) }))
    .sort((a, b) => a.missing.length - b.missing.length)[0];
  const what = dims.length
    ? `metrics ${list(lacking.missing)} cannot be answered with dimensions ${list(dims)}`
    : `metrics ${list(query.metrics)} cannot be answered together`;
  return [
    {
      field: 'metrics',
      message: `${what} in this dialect: ${together}. Choose metrics and dimensions of one group`,
    },
  ];
}

/**
 * The dimensions a KPI can be asked with: those of the groups that give all its inputs, or
 * undefined when the dialect cannot compute it at all. A source without groups: its dimension
 * list, when it has every input.
 */
export function kpiDimensions(
  caps: AnalyticsCapabilities,
  kpi: { requires: readonly string[]; requiresDimensions?: readonly string[] },
): string[] | undefined {
  const needed = kpi.requiresDimensions ?? [];
  const groups: readonly Pick<AnalyticsDimensionGroup, 'dimensions' | 'metrics'>[] =
    caps.dimensionGroups && caps.dimensionGroups.length > 0
      ? caps.dimensionGroups
      : [{ dimensions: caps.dimensions, metrics: caps.metrics }];
  const fitting = groups.filter(
    (g) =>
      kpi.requires.every((m) => g.metrics.includes(m) && caps.metrics.includes(m)) &&
      needed.every((d) => g.dimensions.includes(d) && caps.dimensions.includes(d)),
  );
  if (fitting.length === 0) return undefined;
  return caps.dimensions.filter((d) => fitting.some((g) => g.dimensions.includes(d)));
}
