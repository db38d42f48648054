import { stringify as stringifySync } from 'csv-stringify/sync';
import { stringify } from 'csv-stringify';
import { pipeline, Readable, Transform } from 'node:stream';
import { CsvOptions, DEFAULT_CSV_OPTIONS } from './csv-options';
import type { OutputFormat } from './output-format';
import { neutraliseFormula } from './spreadsheet-safe';

/**
 * A cell as BI tools expect it: empty for null, JSON for nested values, text otherwise — text
 * that a spreadsheet would run as a formula is neutralised, numbers and booleans are left alone.
 */
function cell(value: unknown): string | number | boolean {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return neutraliseFormula(value);
  if (typeof value === 'object') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  // bigint is the only other value JSON rows can carry; functions and symbols have no cell.
  return typeof value === 'bigint' ? value.toString() : '';
}

/**
 * RFC 4180 options shared by the buffered and streaming encoders. csv-stringify quotes a field
 * containing the field or record delimiter, but with CRLF as delimiter a bare LF (or CR) would go
 * unquoted and split the row in Excel, hence `quoted_match`. Header names are cells too.
 */
function csvOptions(columns: readonly string[], options: CsvOptions) {
  return {
    header: true,
    columns: columns.map(neutraliseFormula),
    delimiter: options.delimiter,
    bom: options.bom,
    record_delimiter: '\r\n',
    quoted_match: /[\r\n]/,
    cast: { boolean: (b: boolean) => String(b) },
  };
}

function toRecord(row: object, columns: readonly string[]): (string | number | boolean)[] {
  return columns.map((c) => cell((row as Record<string, unknown>)[c]));
}

/**
 * RFC 4180 CSV (CRLF line ends, quoting as needed) with a header row, spreadsheet-safe cells, the
 * caller's delimiter and an optional byte-order mark.
 */
export function encodeCsv(
  rows: readonly object[],
  columns: readonly string[],
  options: CsvOptions = DEFAULT_CSV_OPTIONS,
): string {
  return stringifySync(
    rows.map((r) => toRecord(r, columns)),
    csvOptions(columns, options),
  );
}

export function encodeNdjson(rows: readonly object[]): string {
  let out = '';
  for (const row of rows) out += JSON.stringify(row) + '\n';
  return out;
}

/**
 * Streams rows (any async iterable) in the given format without holding them in memory. JSON is
 * a single array, so clients that want a document still get one. Errors in the source destroy
 * the returned stream (the client sees a cut response rather than a silently short one).
 */
export function streamRows(
  rows: AsyncIterable<object>,
  format: OutputFormat,
  columns: readonly string[],
  csv: CsvOptions = DEFAULT_CSV_OPTIONS,
): Readable {
  const source = Readable.from(rows, { objectMode: true });
  const ignore = (): void => undefined;
  switch (format) {
    case 'csv':
      return pipeline(
        source,
        new Transform({
          objectMode: true,
          transform(row: object, _enc, cb) {
            cb(null, toRecord(row, columns));
          },
        }),
        stringify(csvOptions(columns, csv)),
        ignore,
      );
    case 'ndjson':
      return pipeline(
        source,
        new Transform({
          writableObjectMode: true,
          transform(row: object, _enc, cb) {
            cb(null, JSON.stringify(row) + '\n');
          },
        }),
        ignore,
      );
    case 'json':
      return pipeline(source, jsonArrayTransform(), ignore);
  }
}

function jsonArrayTransform(): Transform {
  let first = true;
  return new Transform({
    writableObjectMode: true,
    transform(row: object, _enc, cb) {
      cb(null, (first ? '[' : ',') + JSON.stringify(row));
      first = false;
    },
    flush(cb) {
      cb(null, first ? '[]' : ']');
    },
  });
}
