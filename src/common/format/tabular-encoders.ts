import { stringify as stringifySync } from 'csv-stringify/sync';
import { stringify } from 'csv-stringify';
import { pipeline, Readable, Transform } from 'node:stream';
import type { OutputFormat } from './output-format';

/** A cell as BI tools expect it: empty for null, JSON for nested values, text otherwise. */
function cell(value: unknown): string | number | boolean {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  return String(value as string);
}

function toRecord(row: object, columns: readonly string[]): (string | number | boolean)[] {
  return columns.map((c) => cell((row as Record<string, unknown>)[c]));
}

/** RFC 4180 CSV (CRLF line ends, quoting as needed) with a header row. */
export function encodeCsv(rows: readonly object[], columns: readonly string[]): string {
  return stringifySync(
    rows.map((r) => toRecord(r, columns)),
    { header: true, columns: [...columns], record_delimiter: '\r\n', cast: { boolean: (b) => String(b) } },
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
        stringify({
          header: true,
          columns: [...columns],
          record_delimiter: '\r\n',
          cast: { boolean: (b) => String(b) },
        }),
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
