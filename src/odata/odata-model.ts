import type { AnalyticsCapabilities, AnalyticsDimensionGroup } from '../analytics/analytics.source';
import type { ApiScope, AppConfig } from '../config/app-config.types';
import { KPI_CATALOGUE } from '../analytics/kpi/kpi-catalogue';
import { RECORD_COLUMNS } from '../export/record-validator';
import { QUEUE_METRIC_NAMES } from '../reporting/queue-stats/queue-stats.source';

/** The Edm primitive types the feed uses. */
export type EdmType =
  'Edm.String' | 'Edm.Boolean' | 'Edm.Int64' | 'Edm.Double' | 'Edm.Date' | 'Edm.DateTimeOffset';

export interface PropertyDef {
  name: string;
  type: EdmType;
  nullable: boolean;
  /** A Collection(type) property: selectable, not filterable or sortable. */
  collection?: boolean;
}

export interface EntityTypeDef {
  name: string;
  key: readonly string[];
  properties: readonly PropertyDef[];
  /** Contained collections reached as `Set('key')/Name`. */
  navigation?: readonly { name: string; target: string }[];
}

export interface EntitySetDef {
  name: string;
  type: EntityTypeDef;
  /** The scope of the /v1 route this set mirrors. */
  scope: ApiScope;
  /** Custom (non-$) query options this set understands. */
  customOptions: readonly string[];
}

export interface ODataModel {
  namespace: string;
  /** The grain of each summary set, by set name. */
  grains: Readonly<Record<string, SummaryGrain>>;
  sets: readonly EntitySetDef[];
  /** Contained (navigation-only) entity types, e.g. export records. */
  contained: readonly EntityTypeDef[];
  set(name: string): EntitySetDef | undefined;
}

export const ODATA_NAMESPACE = 'CXoneGateway';

const prop = (name: string, type: EdmType, nullable = true): PropertyDef => ({
  name,
  type,
  nullable,
});

/**
 * Queue counters are whole numbers; times and percentages are measurements; the real feed's
 * skill attributes are text or a flag. A metric the bound dialect does not report is null.
 */
const QUEUE_METRIC_TYPES: Record<string, EdmType> = {
  waitTime: 'Edm.Double',
  serviceLevel: 'Edm.Double',
  serviceLevelGoal: 'Edm.Double',
  mediaType: 'Edm.String',
  campaignName: 'Edm.String',
  isOutbound: 'Edm.Boolean',
};

function queueType(): EntityTypeDef {
  return {
    name: 'Queue',
    key: ['queueId'],
    properties: [
      prop('queueId', 'Edm.String', false),
      prop('queueName', 'Edm.String'),
      prop('timestamp', 'Edm.DateTimeOffset'),
      ...QUEUE_METRIC_NAMES.map((m) => prop(m, QUEUE_METRIC_TYPES[m] ?? 'Edm.Int64')),
    ],
  };
}

function stateChangeType(): EntityTypeDef {
  return {
    name: 'AgentStateChange',
    key: ['agentId', 'timestamp', 'stateId'],
    properties: [
      prop('timestamp', 'Edm.DateTimeOffset', false),
      prop('agentId', 'Edm.String', false),
      prop('state', 'Edm.String'),
      // Numeric in the seed API, text in others: one type for both, so reports survive a switch.
      prop('stateId', 'Edm.String', false),
      prop('previousState', 'Edm.String'),
      prop('durationSeconds', 'Edm.Double'),
      ...['reason', 'skillName', 'contactId', 'mediaType', 'teamId'].map((p) =>
        prop(p, 'Edm.String'),
      ),
    ],
  };
}

/** What a summary set asks the analytics service for. */
export interface SummaryGrain {
  dimensions: string[];
  metrics: string[];
}

/** The summary sets: each a grain of dimensions (with `date`), present where the dialect has it. */
const SUMMARY_SETS = [
  { set: 'Summaries', type: 'Summary', grain: ['channel', 'skill', 'campaign'], optional: false },
  { set: 'AgentSummaries', type: 'AgentSummary', grain: ['agent'], optional: true },
  { set: 'TeamSummaries', type: 'TeamSummary', grain: ['team'], optional: true },
] as const;

/**
 * A grain the bound dialect can answer: date × as many of the wanted dimensions as it has, with
 * every metric it answers together with them. Where a dialect answers dimensions from separate
 * upstream sources (groups), the group holding most of the grain wins. Undefined when no
 * source has any of them (an optional set is then left out of the feed).
 */
export function summaryGrain(
  config: AppConfig,
  caps: AnalyticsCapabilities | undefined,
  wanted: readonly string[],
): SummaryGrain | undefined {
  const allowedDims = caps?.dimensions ?? config.analytics.allowedDimensions;
  const allowedMetrics = caps?.metrics ?? config.analytics.allowedMetrics;
  const groups = caps?.dimensionGroups?.length
    ? caps.dimensionGroups
    : [{ source: 'all', dimensions: allowedDims, metrics: allowedMetrics }];
  const has = (g: AnalyticsDimensionGroup) =>
    wanted.filter((d) => g.dimensions.includes(d) && allowedDims.includes(d));
  const best = [...groups].sort((a, b) => has(b).length - has(a).length)[0];
  const dimensions = best ? has(best) : [];
  const metrics = best ? allowedMetrics.filter((m) => best.metrics.includes(m)) : [];
  return dimensions.length > 0 && metrics.length > 0 ? { dimensions, metrics } : undefined;
}

function summaryType(name: string, grain: SummaryGrain): EntityTypeDef {
  const dims = grain.dimensions;
  // KPIs whose inputs the grain has; the others would be null in every row.
  const kpis = KPI_CATALOGUE.filter((k) => k.requires.every((m) => grain.metrics.includes(m)));
  return {
    name,
    // bucketStart keeps sub-day buckets of one local date apart.
    key: ['date', 'bucketStart', ...dims],
    properties: [
      prop('date', 'Edm.Date', false),
      prop('bucketStart', 'Edm.DateTimeOffset', false),
      prop('bucketEnd', 'Edm.DateTimeOffset'),
      ...dims.map((d) => prop(d, 'Edm.String', false)),
      ...grain.metrics.map((m) => prop(m, 'Edm.Double')),
      ...kpis.map((k) => prop(k.name, 'Edm.Double')),
    ],
  };
}

function summarySets(config: AppConfig, caps?: AnalyticsCapabilities) {
  const sets: EntitySetDef[] = [];
  const grains: Record<string, SummaryGrain> = {};
  for (const spec of SUMMARY_SETS) {
    const grain = summaryGrain(config, caps, spec.grain) ?? (spec.optional ? undefined : EMPTY);
    if (!grain) continue;
    grains[spec.set] = grain;
    sets.push({
      name: spec.set,
      type: summaryType(spec.type, grain),
      scope: 'analytics:read',
      customOptions: ['timeZone', 'granularity'],
    });
  }
  return { sets, grains };
}

const EMPTY: SummaryGrain = { dimensions: [], metrics: [] };

function exportType(): EntityTypeDef {
  return {
    name: 'Export',
    key: ['id'],
    properties: [
      prop('id', 'Edm.String', false),
      prop('status', 'Edm.String'),
      prop('start', 'Edm.DateTimeOffset'),
      prop('end', 'Edm.DateTimeOffset'),
      prop('createdAt', 'Edm.DateTimeOffset'),
      prop('updatedAt', 'Edm.DateTimeOffset'),
      prop('percent', 'Edm.Double'),
      ...['received', 'valid', 'duplicates', 'schemaErrors'].map((c) => prop(c, 'Edm.Int64')),
    ],
    navigation: [{ name: 'Records', target: 'ExportRecord' }],
  };
}

function exportRecordType(): EntityTypeDef {
  return {
    name: 'ExportRecord',
    key: ['id'],
    properties: RECORD_COLUMNS.map((c) =>
      c === 'duration' ? prop(c, 'Edm.Double') : prop(c, 'Edm.String', c !== 'id'),
    ),
  };
}

function kpiType(): EntityTypeDef {
  return {
    name: 'Kpi',
    key: ['name'],
    properties: [
      prop('name', 'Edm.String', false),
      prop('formula', 'Edm.String'),
      { ...prop('requires', 'Edm.String'), collection: true },
      { ...prop('requiresDimensions', 'Edm.String'), collection: true },
      prop('unit', 'Edm.String'),
      prop('description', 'Edm.String'),
    ],
  };
}

/** The feed's model: Summaries follow what the bound dialect and the tenant config allow. */
export function buildODataModel(config: AppConfig, caps?: AnalyticsCapabilities): ODataModel {
  const summaries = summarySets(config, caps);
  const sets: EntitySetDef[] = [
    { name: 'Queues', type: queueType(), scope: 'reporting:read', customOptions: [] },
    {
      name: 'AgentStateChanges',
      type: stateChangeType(),
      scope: 'reporting:read',
      customOptions: ['timeZone'],
    },
    ...summaries.sets.slice(0, 1),
    { name: 'Exports', type: exportType(), scope: 'export:read', customOptions: [] },
    { name: 'Kpis', type: kpiType(), scope: 'analytics:read', customOptions: [] },
    ...summaries.sets.slice(1),
  ];
  const byName = new Map(sets.map((s) => [s.name, s]));
  return {
    namespace: ODATA_NAMESPACE,
    grains: summaries.grains,
    sets,
    contained: [exportRecordType()],
    set: (name) => byName.get(name),
  };
}

export function propertyOf(type: EntityTypeDef, name: string): PropertyDef | undefined {
  return type.properties.find((p) => p.name === name);
}
