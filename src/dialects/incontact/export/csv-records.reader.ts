import { CsvError, parse, type Parser } from 'csv-parse';
import { pipeline, type Readable } from 'node:stream';
import type { ExportEntitySchema } from '../../../config/app-config.types';
import { WindowDownloadError } from '../../../export/export-pipeline';
import type { ParsedDownload, RecordBatch } from '../../../export/export.source';
import { cellInstantMs, planColumns, typedValue, type ColumnPlan } from './csv-columns';

export interface CsvReadOptions {
  schema: ExportEntitySchema;
  /** The window the file was asked for: rows dated outside it are skipped. */
  fromMs: number;
  toMs: number;
  /** Bytes the file may have at most (EXPORT_MAX_DECOMPRESSED_BYTES). */
  maxBytes: number;
  /** Told how many rows were skipped as outside the window, once the file is read. */
  onOutsideWindow?: (rows: number) => void;
}

const BATCH_ROWS = 2000;
const DAY_MS = 86_400_000;
/** `YYYY-MM-DDThh:mm…Z`: a UTC timestamp whose day is its first ten characters. */
const UTC_STAMP = /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/;

/** The window as `YYYY-MM-DD` bounds when it is made of whole UTC days. */
function wholeDays(fromMs: number, toMs: number): { first: string; end: string } | undefined {
  if (fromMs % DAY_MS !== 0 || toMs % DAY_MS !== 0) return undefined;
  const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
  return { first: day(fromMs), end: day(toMs) };
}

/**
 * Reads a Data Extraction CSV file as it streams in, with csv-parse (UTF-8, BOM stripped,
 * quoted fields with commas, quotes and line breaks; never the whole file in memory), into
 * record batches for the export pipeline. The first row is the header: its names become the
 * record fields, and the entity schema's columns are found in it. Then, per row:
 *   1. a row whose window-column date can be read and lies outside [fromMs, toMs) is skipped,
 *      uncounted (a tenant that reads endDate inclusively sends the next day too);
 *   2. a row with more or fewer cells than the header, an empty required value, a value that is
 *      not of its column's declared type, or a record csv-parse could not read, is a schema error;
 *   3. anything else is a record, values as strings unless the schema types the column, with its
 *      key column as the de-duplication key.
 * A quote left open at the end of the file means the file was cut: the window fails.
 */
export function readCsvRecords(body: Readable, options: CsvReadOptions): ParsedDownload {
  let plan: ColumnPlan | undefined;
  let bytes = 0;
  let outside = 0;
  let skipped = 0;
  let fatal: Error | undefined;
  const parser: Parser = parse({
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (err) => {
      // At the end of the file an open quote is a cut-off download, not one bad record.
      if (err?.code === 'CSV_QUOTE_NOT_CLOSED') fatal ??= truncated(err);
      else skipped += 1;
      return undefined;
    },
  });
  body.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > options.maxBytes) {
      body.destroy(
        new WindowDownloadError(
          `the file is larger than EXPORT_MAX_DECOMPRESSED_BYTES (${options.maxBytes} bytes)`,
        ),
      );
    }
  });
  pipeline(body, parser, () => undefined);

  const days = wholeDays(options.fromMs, options.toMs);
  /** False only for a date that can be read and lies outside the window. */
  function inWindow(cell: string): boolean {
    // UTC timestamps of a whole-day window: comparing the day prefix is enough (and cheap).
    if (days && UTC_STAMP.test(cell)) {
      const day = cell.slice(0, 10);
      return day >= days.first && day < days.end;
    }
    const at = cellInstantMs(cell);
    return at === undefined || (at >= options.fromMs && at < options.toMs);
  }

  async function* batches(): AsyncGenerator<RecordBatch> {
    let batch = emptyBatch();
    for await (const row of parser as AsyncIterable<string[]>) {
      if (!plan) {
        plan = planColumns(row, options.schema);
        continue;
      }
      batch.schemaErrors += takeSkipped();
      if (!readRow(row, plan, batch)) continue;
      if (batch.json.length + batch.schemaErrors >= BATCH_ROWS) {
        yield batch;
        batch = emptyBatch();
      }
    }
    if (fatal) throw fatal;
    if (!plan) throw new WindowDownloadError('the CSV file has no header row');
    batch.schemaErrors += takeSkipped();
    options.onOutsideWindow?.(outside);
    if (batch.json.length + batch.schemaErrors > 0) yield batch;
  }

  function takeSkipped(): number {
    const n = skipped;
    skipped = 0;
    return n;
  }

  /** Adds the row to the batch (record or schema error); false when it was skipped. */
  function readRow(row: string[], p: ColumnPlan, batch: RecordBatch): boolean {
    if (p.window >= 0 && p.window < row.length && !inWindow(row[p.window])) {
      outside += 1;
      return false;
    }
    const json = toJson(row, p);
    if (json === undefined) batch.schemaErrors += 1;
    else {
      batch.json.push(json);
      batch.keys.push(row[p.key]);
    }
    return true;
  }

  return {
    kind: 'records',
    batches: batches(),
    columns: () => plan?.names ?? [],
    destroy: () => {
      body.destroy();
      parser.destroy();
    },
  };
}

/**
 * The row as the text of a JSON object keyed by the header names, or undefined when it breaks
 * the schema. Built from the cells directly rather than through an object and JSON.stringify:
 * this runs once per row of files of a million rows.
 */
function toJson(row: string[], p: ColumnPlan): string | undefined {
  const { jsonKeys } = p;
  if (row.length !== jsonKeys.length) return undefined;
  for (const i of p.required) if (row[i].trim() === '') return undefined;
  const values: string[] = row.map((cell) => JSON.stringify(cell));
  for (const [i, type] of p.typed) {
    const value = typedValue(row[i], type);
    if (value === undefined) return undefined;
    values[i] = JSON.stringify(value);
  }
  let json = '';
  for (let i = 0; i < values.length; i += 1) json += jsonKeys[i] + values[i];
  return `${json}}`;
}

function emptyBatch(): RecordBatch {
  return { json: [], keys: [], schemaErrors: 0 };
}

function truncated(err: CsvError): WindowDownloadError {
  return new WindowDownloadError(
    `the CSV file ends inside a quoted field (cut off?): ${err.message}`,
  );
}
