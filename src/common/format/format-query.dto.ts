import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { BOM_MESSAGE, DELIMITER_MESSAGE } from './csv-options';
import { PrecompiledValidation } from '../validation/precompiled/precompiled-dto';
import { OUTPUT_FORMATS, OutputFormat } from './output-format';

/** What `?delimiter=` accepts (see parseDelimiter): the tab arrives as %09 or spelled `tab`. */
const DELIMITER_PATTERN = /^(?:,|;|\t|\||tab)$/i;

/**
 * Base for query DTOs of tabular endpoints: the shared `?format=` parameter and the CSV options.
 * Every CSV answer is spreadsheet-safe whatever the options: a text cell starting with = + - @,
 * a tab or a carriage return is prefixed with an apostrophe so Excel shows it instead of
 * running it; numbers are written as numbers.
 */
@PrecompiledValidation()
export class FormatQueryDto {
  @ApiPropertyOptional({
    enum: OUTPUT_FORMATS,
    description:
      'Output format; overrides the Accept header (text/csv, application/x-ndjson). CSV is ' +
      'RFC 4180 (CRLF, quoting as needed) with a header row and spreadsheet-safe text cells ' +
      "(a leading = + - @ tab or CR gets an apostrophe: Excel shows '=1+1 as text). CSV and " +
      'NDJSON answers carry Content-Disposition: attachment with a file name.',
    example: 'json',
  })
  @IsOptional()
  @IsIn(OUTPUT_FORMATS, { message: `format must be one of ${OUTPUT_FORMATS.join(', ')}` })
  format?: OutputFormat;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description:
      'CSV only: start the file with a UTF-8 byte-order mark, which Excel needs to read ' +
      'non-ASCII text (accents, non-Latin names) correctly. Off by default: other tools do not ' +
      'want it.',
    example: 'true',
  })
  @IsOptional()
  @IsIn(['true', 'false'], { message: BOM_MESSAGE })
  bom?: 'true' | 'false';

  @ApiPropertyOptional({
    enum: [',', ';', '|', 'tab'],
    description:
      'CSV only: the field separator. `;` for Excel in locales with a decimal comma; a tab as ' +
      '%09 or the word `tab`. Default `,`.',
    example: ';',
  })
  @IsOptional()
  @Matches(DELIMITER_PATTERN, { message: DELIMITER_MESSAGE })
  delimiter?: string;
}
