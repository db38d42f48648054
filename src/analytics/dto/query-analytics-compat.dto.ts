import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { PrecompiledValidation } from '../../common/validation/precompiled/precompiled-dto';
import { AnalyticsFilterDto } from './analytics-filter.dto';
import { FiltersField, NameListField } from './analytics-field.decorators';
import { MAX_DIMENSIONS, MAX_FILTERS, MAX_METRICS } from './query-analytics-summary.dto';

/** Longest `cache_ttl` honoured (a week). */
export const MAX_COMPAT_CACHE_TTL_S = 604_800;

/** Body of POST /api/v1/analytics/query, the v2 §analytics FastAPI `QueryRequest`, field for field. */
@PrecompiledValidation()
export class QueryAnalyticsCompatDto {
  @ApiProperty({ example: ['handle_time', 'queue_time'] })
  @NameListField('metrics', 1, MAX_METRICS)
  metrics!: string[];

  @ApiProperty({ example: ['date', 'channel'] })
  @NameListField('dimensions', 0, MAX_DIMENSIONS)
  dimensions!: string[];

  @ApiProperty({ example: '2024-05-01T00:00:00+00:00' })
  @IsString()
  @MaxLength(64)
  start_date!: string;

  @ApiProperty({ example: '2024-05-08T00:00:00+00:00' })
  @IsString()
  @MaxLength(64)
  end_date!: string;

  @ApiPropertyOptional({ type: [AnalyticsFilterDto] })
  @FiltersField(MAX_FILTERS)
  filters?: AnalyticsFilterDto[];

  @ApiPropertyOptional({
    example: 3600,
    description:
      'Oldest cached result (seconds) the caller accepts; 0 forces a fresh query. Entries are ' +
      'still stored for ANALYTICS_CACHE_TTL_S.',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_COMPAT_CACHE_TTL_S)
  cache_ttl?: number;
}
