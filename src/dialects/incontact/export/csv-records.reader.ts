import { CsvError, parse, type Parser } from 'csv-parse';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
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

const BATCH_ROWS = 1000;
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
  let batch = emptyBatch();
  let outside = 0;
  let fatal: Error | undefined;
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

  /** Every row, as csv-parse reads it: the header first, then records or schema errors. */
  function onRow(row: string[]): void {
    if (!plan) {
      plan = planColumns(row, options.schema);
      return;
    }
    if (plan.window >= 0 && plan.window < row.length && !inWindow(row[plan.window])) {
      outside += 1;
      return;
    }
    const json = toJson(row, plan);
    if (json === undefined) {
      batch.schemaErrors += 1;
      return;
    }
    batch.json.push(json);
    batch.keys.push(row[plan.key]);
  }

  // The parser is fed chunk by chunk; each write parses synchronously, and its records are
  // taken off right away with read(): no per-record async step, nothing queues up in between.
  const parser: Parser = parse({
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (err) => {
      // At the end of the file an open quote is a cut-off download, not one bad record.
      if (err?.code === 'CSV_QUOTE_NOT_CLOSED') fatal ??= truncated(err);
      else if (plan) batch.schemaErrors += 1;
      return undefined;
    },
  });
  function drain(): void {
    const next = (): string[] | null => parser.read() as string[] | null;
    for (let row = next(); row !== null; row = next()) {
      if (fatal) continue;
      try {
        onRow(row);
      } catch (err) {
        fatal = err as Error;
      }
    }
  }
  parser.on('error', (err) => (fatal ??= err));

  function take(): RecordBatch {
    const full = batch;
    batch = emptyBatch();
    return full;
  }

  async function* batches(): AsyncGenerator<RecordBatch> {
    let bytes = 0;
    try {
      for await (const chunk of body as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        if (bytes > options.maxBytes) {
          throw new WindowDownloadError(
            `the file is larger than EXPORT_MAX_DECOMPRESSED_BYTES (${options.maxBytes} bytes)`,
          );
        }
        parser.write(chunk);
        drain();
        if (fatal) throw fatal;
        if (batch.json.length + batch.schemaErrors >= BATCH_ROWS) yield take();
      }
      // The last record is parsed when the input ends; it waits in the parser's buffer.
      const finished = once(parser, 'finish');
      parser.end();
      await finished;
      drain();
      if (fatal) throw fatal;
      if (!plan) throw new WindowDownloadError('the CSV file has no header row');
      options.onOutsideWindow?.(outside);
      if (batch.json.length + batch.schemaErrors > 0) yield take();
    } finally {
      parser.destroy();
    }
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
  const { jsonKeys, typedAt } = p;
  if (row.length !== jsonKeys.length) return undefined;
  for (const i of p.required) if (row[i].trim() === '') return undefined;
  let json = '';
  for (let i = 0; i < row.length; i += 1) {
    const type = typedAt[i];
    let value = JSON.stringify(row[i]);
    if (type !== undefined) {
      const typed = typedValue(row[i], type);
      if (typed === undefined) return undefined;
      value = JSON.stringify(typed);
    }
    json += jsonKeys[i] + value;
  }
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
