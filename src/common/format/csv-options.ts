import { AppError, FieldError } from '../errors/app-error';

/**
 * Field separators a caller may choose. Excel in locales with a decimal comma (de, fr, nl, …)
 * expects `;`; tab and `|` are what other tools import cleanly. Anything else (a quote, a letter,
 * a line break) would make the file unreadable, so the list is closed.
 */
export const CSV_DELIMITERS = [',', ';', '\t', '|'] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

/** `?delimiter=tab` is accepted for the tab character, which is awkward to type in a URL. */
const DELIMITER_ALIASES: Readonly<Record<string, CsvDelimiter>> = { tab: '\t' };

/** How one CSV answer is written. The defaults are plain RFC 4180. */
export interface CsvOptions {
  delimiter: CsvDelimiter;
  /** Start with a UTF-8 byte-order mark (Excel needs it to read non-ASCII text as UTF-8). */
  bom: boolean;
}

export const DEFAULT_CSV_OPTIONS: CsvOptions = Object.freeze({ delimiter: ',', bom: false });

export const DELIMITER_MESSAGE =
  'delimiter must be one of "," ";" "|" or a tab (%09 or the word tab)';
export const BOM_MESSAGE = 'bom must be true or false';

/** Reads `delimiter` (undefined when the value is not allowed). */
export function parseDelimiter(value: unknown): CsvDelimiter | undefined {
  if (typeof value !== 'string') return undefined;
  if ((CSV_DELIMITERS as readonly string[]).includes(value)) return value as CsvDelimiter;
  return DELIMITER_ALIASES[value.toLowerCase()];
}

/**
 * The CSV options of a request's query string. The route's query DTO has already rejected bad
 * values on the /v1 routes; this check stands on its own for routes without one, so a bad value
 * is always a 400 naming the field and never an unreadable file.
 */
export function resolveCsvOptions(query: Record<string, unknown> | undefined): CsvOptions {
  const errors: FieldError[] = [];
  const rawDelimiter = query?.delimiter;
  const rawBom = query?.bom;
  let delimiter: CsvDelimiter = DEFAULT_CSV_OPTIONS.delimiter;
  if (rawDelimiter !== undefined && rawDelimiter !== '') {
    const parsed = parseDelimiter(rawDelimiter);
    if (parsed === undefined) errors.push({ field: 'delimiter', message: DELIMITER_MESSAGE });
    else delimiter = parsed;
  }
  let bom = false;
  if (rawBom !== undefined && rawBom !== '') {
    if (rawBom === 'true' || rawBom === true) bom = true;
    else if (rawBom !== 'false' && rawBom !== false) {
      errors.push({ field: 'bom', message: BOM_MESSAGE });
    }
  }
  if (errors.length > 0) throw AppError.validation(errors);
  return { delimiter, bom };
}
