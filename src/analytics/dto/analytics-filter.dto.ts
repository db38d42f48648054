import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
} from 'class-validator';

export const FILTER_OPERATORS = ['eq', 'in'] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

/** Most values one `in` filter may list. */
export const MAX_FILTER_VALUES = 100;

/**
 * One filter: `{dimension, operator: "eq", value}` or `{dimension, operator: "in", values}`.
 * Which field goes with which operator, and whether the dimension is allowed, is checked by the
 * query validator (it depends on config and on other fields).
 */
export class AnalyticsFilterDto {
  @ApiProperty({ example: 'channel', description: 'An allowed dimension' })
  @IsString()
  @MaxLength(64)
  dimension!: string;

  @ApiProperty({ enum: FILTER_OPERATORS, example: 'in' })
  @IsIn(FILTER_OPERATORS, { message: `operator must be one of ${FILTER_OPERATORS.join(', ')}` })
  operator!: FilterOperator;

  @ApiPropertyOptional({ example: 'voice', description: 'With operator eq' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  value?: string;

  @ApiPropertyOptional({ example: ['voice', 'chat'], description: 'With operator in' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_FILTER_VALUES)
  @IsString({ each: true })
  @MaxLength(256, { each: true })
  values?: string[];
}
