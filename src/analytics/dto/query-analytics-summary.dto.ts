import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { FormatQueryDto } from '../../common/format/format-query.dto';
import { AnalyticsFilterDto } from './analytics-filter.dto';

export const MAX_METRICS = 10;
export const MAX_DIMENSIONS = 5;
export const MAX_FILTERS = 20;
export const MAX_KPIS = 50;

/**
 * Body of POST /v1/analytics/summary. Structure is checked here; the allowed names (per tenant
 * config), the date range and the KPI catalogue are checked by AnalyticsQueryValidator.
 */
export class QueryAnalyticsSummaryDto {
  @ApiProperty({ example: ['handle_time', 'talk_time', 'queue_time'], maxItems: MAX_METRICS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_METRICS)
  @ArrayUnique({ message: 'metrics must not repeat' })
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  metrics!: string[];

  @ApiProperty({ example: ['date', 'channel'], maxItems: MAX_DIMENSIONS })
  @IsArray()
  @ArrayMaxSize(MAX_DIMENSIONS)
  @ArrayUnique({ message: 'dimensions must not repeat' })
  @IsString({ each: true })
  @MaxLength(64, { each: true })
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
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_FILTERS)
  @ValidateNested({ each: true })
  @Type(() => AnalyticsFilterDto)
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
}

/** Query string of POST /v1/analytics/summary: only the output format. */
export class AnalyticsFormatQueryDto extends FormatQueryDto {}
