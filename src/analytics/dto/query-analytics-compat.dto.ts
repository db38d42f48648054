import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { AnalyticsFilterDto } from './analytics-filter.dto';
import { MAX_DIMENSIONS, MAX_FILTERS, MAX_METRICS } from './query-analytics-summary.dto';

/** Longest `cache_ttl` honoured (a week). */
export const MAX_COMPAT_CACHE_TTL_S = 604_800;

/** Body of POST /api/v1/analytics/query, seed 002's FastAPI `QueryRequest`, field for field. */
export class QueryAnalyticsCompatDto {
  @ApiProperty({ example: ['handle_time', 'queue_time'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_METRICS)
  @ArrayUnique({ message: 'metrics must not repeat' })
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  metrics!: string[];

  @ApiProperty({ example: ['date', 'channel'] })
  @IsArray()
  @ArrayMaxSize(MAX_DIMENSIONS)
  @ArrayUnique({ message: 'dimensions must not repeat' })
  @IsString({ each: true })
  @MaxLength(64, { each: true })
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
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_FILTERS)
  @ValidateNested({ each: true })
  @Type(() => AnalyticsFilterDto)
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
