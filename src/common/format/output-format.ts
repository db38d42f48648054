import { AppError } from '../errors/app-error';
import { preferredFormat } from './accept';

export const OUTPUT_FORMATS = ['json', 'csv', 'ndjson'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export const CONTENT_TYPES: Record<OutputFormat, string> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
};

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
