import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppError, FieldError } from '../common/errors/app-error';
import { ISO_INSTANT_HINT } from '../common/validation/iso-instant';
import { APP_CONFIG } from '../config/config.constants';
import type { AppConfig } from '../config/app-config.types';
import {
  canonicalFilters,
  NormalizedFilter,
  NormalizedQuery,
  parseIsoInstant,
} from './analytics-query';
import type { AnalyticsFilterDto } from './dto/analytics-filter.dto';
import {
  DEFAULT_GRANULARITY,
  DEFAULT_TIME_ZONE,
  Granularity,
  GRANULARITIES,
  isGranularity,
} from './buckets/time-buckets';
import { isValidTimeZone, TIME_ZONE_RULE } from '../common/validation/time-zone';
import { findKpi, KPI_NAMES } from './kpi/kpi-catalogue';
import {
  combinationErrors,
  configCapabilities,
  unsupportedMetricsError,
} from './analytics-capabilities';
import {
  ANALYTICS_SOURCE,
  type AnalyticsCapabilities,
  type AnalyticsSource,
} from './analytics.source';

const DAY_MS = 86_400_000;

/** A structurally valid query (the DTO passed), before the rules that need config or context. */
export interface AnalyticsQueryInput {
  metrics: string[];
  dimensions: string[];
  start: string;
  end: string;
  filters?: AnalyticsFilterDto[];
  kpis?: string[];
  /** IANA time zone of the `date` buckets (default UTC). */
  timeZone?: string;
  /** Bucket size of the `date` dimension (default P1D). */
  granularity?: string;
}

/** How the caller's API names the date fields (the seed-compatible route says start_date). */
export interface DateFieldNames {
  start: string;
  end: string;
}

const DEFAULT_FIELDS: DateFieldNames = { start: 'start', end: 'end' };

/**
 * The rules a DTO cannot express: names allowed by tenant config, the date range, filter
 * operator/value pairing and the KPI catalogue. Every violation is collected and thrown at once,
 * each naming its field and what is allowed; the result is the canonical NormalizedQuery.
 */
@Injectable()
export class AnalyticsQueryValidator {
  /** The bound dialect's names and combinations (ANALYTICS_ALLOWED_* when it declares none). */
  readonly capabilities: AnalyticsCapabilities;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(ANALYTICS_SOURCE) source?: AnalyticsSource,
  ) {
    this.capabilities = source?.capabilities?.() ?? configCapabilities(config.analytics);
  }

  /** ANALYTICS_MAX_BUCKETS: the bucket planner's cap (buckets × filtered dimension values). */
  get maxBuckets(): number {
    return this.config.analytics.maxBuckets;
  }

  normalize(input: AnalyticsQueryInput, fields: DateFieldNames = DEFAULT_FIELDS): NormalizedQuery {
    const errors: FieldError[] = [];
    const allowedDimensions = this.capabilities.dimensions;
    const badMetrics = unsupportedMetricsError(this.capabilities, input.metrics);
    if (badMetrics) errors.push(badMetrics);
    checkNames(errors, 'dimensions', input.dimensions, allowedDimensions);
    const namesKnown = errors.length === 0;
    const range = this.checkRange(errors, input, fields);
    const filters = (input.filters ?? []).map((f, i) =>
      checkFilter(errors, f, i, allowedDimensions),
    );
    // Which names go together is only worth saying once every name is known.
    if (namesKnown && filters.every((f) => f !== undefined)) {
      const filterDimensions = filters.map((f) => f.dimension);
      errors.push(...combinationErrors(this.capabilities, { ...input, filterDimensions }));
    }
    checkKpis(errors, input);
    const buckets = checkBuckets(errors, input);
    if (errors.length > 0 || !range) throw AppError.validation(errors);
    return {
      metrics: [...input.metrics].sort(),
      dimensions: [...input.dimensions],
      start: new Date(range.startMs).toISOString(),
      end: new Date(range.endMs).toISOString(),
      filters: canonicalFilters(filters.filter((f): f is NormalizedFilter => f !== undefined)),
      kpis: input.kpis ? [...input.kpis].sort() : undefined,
      ...buckets,
    };
  }

  private checkRange(
    errors: FieldError[],
    input: AnalyticsQueryInput,
    fields: DateFieldNames,
  ): { startMs: number; endMs: number } | undefined {
    const startMs = parseIsoInstant(input.start);
    const endMs = parseIsoInstant(input.end);
    const example = ISO_INSTANT_HINT;
    if (startMs === undefined)
      errors.push({ field: fields.start, message: `${fields.start} must be ${example}` });
    if (endMs === undefined)
      errors.push({ field: fields.end, message: `${fields.end} must be ${example}` });
    if (startMs === undefined || endMs === undefined) return undefined;
    const maxDays = this.config.analytics.maxRangeDays;
    if (endMs <= startMs) {
      errors.push({ field: fields.end, message: `${fields.end} must be after ${fields.start}` });
    } else if (endMs - startMs > maxDays * DAY_MS) {
      errors.push({
        field: fields.end,
        message: `${fields.start}..${fields.end} may span at most ${maxDays} days`,
      });
    }
    return { startMs, endMs };
  }
}

function checkNames(
  errors: FieldError[],
  field: string,
  names: readonly string[],
  allowed: readonly string[],
): void {
  const unknown = names.filter((n) => !allowed.includes(n));
  if (unknown.length === 0) return;
  errors.push({
    field,
    message: `unsupported ${field}: ${unknown.join(', ')}. Allowed: ${allowed.join(', ')}`,
  });
}

function checkFilter(
  errors: FieldError[],
  filter: AnalyticsFilterDto,
  index: number,
  allowedDimensions: readonly string[],
): NormalizedFilter | undefined {
  const at = `filters.${index}`;
  const before = errors.length;
  if (!allowedDimensions.includes(filter.dimension)) {
    errors.push({
      field: `${at}.dimension`,
      message: `unsupported dimension: ${filter.dimension}. Allowed: ${allowedDimensions.join(', ')}`,
    });
  }
  const { operator, value, values } = filter;
  if (operator === 'eq' && (value === undefined || values !== undefined)) {
    errors.push({
      field: `${at}.value`,
      message: 'operator eq takes one `value` (and no `values`)',
    });
  }
  if (operator === 'in' && (values === undefined || value !== undefined)) {
    errors.push({
      field: `${at}.values`,
      message: 'operator in takes a `values` array (and no `value`)',
    });
  }
  if (errors.length > before) return undefined;
  return {
    dimension: filter.dimension,
    operator,
    values: operator === 'eq' ? [value as string] : [...(values as string[])],
  };
}

function checkKpis(errors: FieldError[], input: AnalyticsQueryInput): void {
  (input.kpis ?? []).forEach((name, i) => {
    const kpi = findKpi(name);
    if (!kpi) {
      errors.push({
        field: `kpis.${i}`,
        message: `unknown KPI: ${name}. Catalogue: ${KPI_NAMES.join(', ')}`,
      });
      return;
    }
    const missing = kpi.requires.filter((m) => !input.metrics.includes(m));
    const missingDims = (kpi.requiresDimensions ?? []).filter((d) => !input.dimensions.includes(d));
    if (missing.length === 0 && missingDims.length === 0) return;
    const needs = [
      missing.length ? `metrics ${missing.join(', ')}` : '',
      missingDims.length ? `dimensions ${missingDims.join(', ')}` : '',
    ].filter(Boolean);
    errors.push({
      field: `kpis.${i}`,
      message: `KPI ${name} needs ${needs.join(' and ')} in the query`,
    });
  });
}

/**
 * `timeZone` must be an IANA name and `granularity` one of the listed sizes; a granularity only
 * means something for the `date` dimension. Defaults are left out, so a query that does not
 * mention them normalises (and caches) the same as before they existed.
 */
function checkBuckets(
  errors: FieldError[],
  input: AnalyticsQueryInput,
): { timeZone?: string; granularity?: Granularity } {
  const out: { timeZone?: string; granularity?: Granularity } = {};
  const { timeZone, granularity } = input;
  if (timeZone !== undefined && timeZone !== DEFAULT_TIME_ZONE) {
    if (isValidTimeZone(timeZone)) out.timeZone = timeZone;
    else {
      errors.push({
        field: 'timeZone',
        message: `${TIME_ZONE_RULE} (got ${JSON.stringify(timeZone.slice(0, 64))})`,
      });
    }
  }
  if (granularity !== undefined) {
    if (!isGranularity(granularity)) {
      errors.push({
        field: 'granularity',
        message: `granularity must be one of ${GRANULARITIES.join(', ')}`,
      });
    } else if (!input.dimensions.includes('date')) {
      errors.push({
        field: 'granularity',
        message: 'granularity sizes the date buckets: add "date" to dimensions',
      });
    } else if (granularity !== DEFAULT_GRANULARITY) out.granularity = granularity;
  }
  return out;
}
