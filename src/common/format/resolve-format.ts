import { AppError } from '../errors/app-error';
import { preferredFormat } from './accept';
import { OUTPUT_FORMATS, type OutputFormat } from './output-format';

/**
 * `?format=` wins over the Accept header (q-values honoured, see preferredFormat); without either,
 * JSON. An unknown `?format` is a 400 naming the field (an Accept we cannot honour falls back to
 * JSON, as HTTP allows).
 */
export function resolveFormat(queryFormat: unknown, accept: string | undefined): OutputFormat {
  if (queryFormat !== undefined && queryFormat !== '') {
    if (
      typeof queryFormat === 'string' &&
      (OUTPUT_FORMATS as readonly string[]).includes(queryFormat)
    ) {
      return queryFormat as OutputFormat;
    }
    throw AppError.field('format', `format must be one of ${OUTPUT_FORMATS.join(', ')}`);
  }
  return preferredFormat(accept);
}
