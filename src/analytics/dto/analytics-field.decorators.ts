import { applyDecorators } from '@nestjs/common';
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
import { AnalyticsFilterDto } from './analytics-filter.dto';

/**
 * Structural checks shared by the analytics bodies (the /v1 summary and the seed-002-compatible
 * query), so both reject the same shapes with the same messages. Allowed names are checked
 * later against tenant config by AnalyticsQueryValidator.
 */
export function NameListField(field: string, min: number, max: number): PropertyDecorator {
  return applyDecorators(
    IsArray(),
    ...(min > 0 ? [ArrayMinSize(min)] : []),
    ArrayMaxSize(max),
    ArrayUnique({ message: `${field} must not repeat` }),
    IsString({ each: true }),
    MaxLength(64, { each: true }),
  );
}

/** An optional, bounded array of filter objects. */
export function FiltersField(max: number): PropertyDecorator {
  return applyDecorators(
    IsOptional(),
    IsArray(),
    ArrayMaxSize(max),
    ValidateNested({ each: true }),
    Type(() => AnalyticsFilterDto),
  );
}
