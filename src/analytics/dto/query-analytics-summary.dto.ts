import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
} from 'class-validator';
import { FormatQueryDto } from '../../common/format/format-query.dto';
import { PrecompiledValidation } from '../../common/validation/precompiled/precompiled-dto';
import {
  DEFAULT_GRANULARITY,
  DEFAULT_TIME_ZONE,
  GRANULARITIES,
  Granularity,
} from '../buckets/time-buckets';
import { AnalyticsFilterDto } from './analytics-filter.dto';
import { FiltersField, NameListField } from './analytics-field.decorators';

export const MAX_METRICS = 10;
export const MAX_DIMENSIONS = 5;
export const MAX_FILTERS = 20;
export const MAX_KPIS = 50;

/**
 * Body of POST /v1/analytics/summary. Structure is checked here; the allowed names (per tenant
 * config), the date range and the KPI catalogue are checked by AnalyticsQueryValidator.
 */
@PrecompiledValidation()
export class QueryAnalyticsSummaryDto {
  @ApiProperty({ example: ['handle_time', 'talk_time', 'queue_time'], maxItems: MAX_METRICS })
  @NameListField('metrics', 1, MAX_METRICS)
  metrics!: string[];

  @ApiProperty({ example: ['date', 'channel'], maxItems: MAX_DIMENSIONS })
  @NameListField('dimensions', 0, MAX_DIMENSIONS)
  dimensions!: string[];

  @ApiProperty({ example: '2024-05-01T00:00:00Z', description: 'ISO 8601; no offset = UTC' })
  @IsString()
  @MaxLength(64)
  start!: string;

  @ApiProperty({ example: '2024-05-08T00:00:00Z', description: 'ISO 8601, after start' })
  @IsString()
  @MaxLength(64)
  end!: string;

  @ApiPropertyOptional({ type: [AnalyticsFilterDto], maxItems: MAX_FILTERS })
  @FiltersField(MAX_FILTERS)
  filters?: AnalyticsFilterDto[];

  @ApiPropertyOptional({
    example: ['talk_ratio', 'total_interaction_time'],
    description: 'Restricts the KPIs computed (names from GET /v1/analytics/kpis)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_KPIS)
  @ArrayUnique({ message: 'kpis must not repeat' })
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  kpis?: string[];

  @ApiPropertyOptional({
    example: 'Europe/Berlin',
    default: DEFAULT_TIME_ZONE,
    description:
      'IANA time zone of the `date` buckets: buckets start at local boundaries (a local day ' +
      'across a DST change is 23 or 25 hours), `bucketStart`/`bucketEnd` carry the zone offset ' +
      'and `date` is the local date of `bucketStart`. The v2 dialect answers UTC only.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timeZone?: string;

  @ApiPropertyOptional({
    enum: GRANULARITIES,
    default: DEFAULT_GRANULARITY,
    description:
      'Size of the `date` buckets (needs the `date` dimension). Buckets × filtered dimension ' +
      'values are capped by ANALYTICS_MAX_BUCKETS (default 2000); beyond it the 400 names the ' +
      'coarser granularity that fits. The v2 dialect answers P1D only.',
  })
  @IsOptional()
  @IsIn(GRANULARITIES, { message: `granularity must be one of ${GRANULARITIES.join(', ')}` })
  granularity?: Granularity;
}

/** Query string of POST /v1/analytics/summary: only the output format. */
@PrecompiledValidation()
export class AnalyticsFormatQueryDto extends FormatQueryDto {}
