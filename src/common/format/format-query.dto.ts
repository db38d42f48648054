import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { OUTPUT_FORMATS, OutputFormat } from './output-format';

/** Base for query DTOs of tabular endpoints: the shared `?format=` parameter. */
export class FormatQueryDto {
  @ApiPropertyOptional({
    enum: OUTPUT_FORMATS,
    description: 'Output format; overrides the Accept header (text/csv, application/x-ndjson)',
    example: 'json',
  })
  @IsOptional()
  @IsIn(OUTPUT_FORMATS, { message: `format must be one of ${OUTPUT_FORMATS.join(', ')}` })
  format?: OutputFormat;
}
