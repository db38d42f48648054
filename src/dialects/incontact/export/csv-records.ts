import type { ExportEntitySchema } from '../../../config/app-config.types';
import { WindowDownloadError } from '../../../export/export-pipeline';
import type { RecordBatch } from '../../../export/export.source';
import {
  cellInstant,
  mayLieInWindow,
  planColumns,
  typedValue,
  type ColumnPlan,
} from './csv-columns';
import { CsvRows } from './csv-rows';

export interface CsvReadOptions {
  schema: ExportEntitySchema;
  /** The window the file was asked for: rows dated outside it are skipped. */
  fromMs: number;
  toMs: number;
  /** Bytes the file may have at most (EXPORT_MAX_DECOMPRESSED_BYTES). */
  maxBytes: number;
}

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
 * A Data Extraction CSV file's bytes, as they stream in, to records (CsvRows splits the rows).
 * The first row is the header: its names become the record fields, and the entity schema's
 * columns are found in it. Then, per row:
 *   1. a row whose window-column date can be read and lies outside [fromMs, toMs) is skipped
 *      and counted in `outside` (a tenant that reads endDate inclusively sends the next day
 *      too); a date without a zone only when no real UTC offset places it inside;
 *   2. a row with more or fewer cells than the header, an empty required value, a value that is
 *      not of its column's declared type, or a record the parser could not read, is a schema
 *      error;
 *   3. anything else is a record, values as strings unless the schema types the column, with its
 *      key column as the de-duplication key.
 * Records and schema errors go to `sink` as they are read: collected as batches of JSON text
 * (CsvBatchCollector, in the main thread for readCsvRecords' batches), or de-duplicated and
 * written as NDJSON bytes at once (the export's CSV scan worker).
 */
export class CsvRecordReader {
  private plan: ColumnPlan | undefined;
  private bytes = 0;
  /** Rows skipped as dated outside the window. */
  outside = 0;
  private readonly rows: CsvRows;
  private readonly days: { first: string; end: string } | undefined;

  constructor(
    private readonly options: CsvReadOptions,
    private readonly sink: CsvRecordSink,
  ) {
    this.days = wholeDays(options.fromMs, options.toMs);
    this.rows = new CsvRows({
      row: (cells) => this.onRow(cells),
      unreadable: () => {
        if (this.plan) sink.schemaError();
      },
    });
  }

  /** Parses one chunk of the file; throws WindowDownloadError when the file must fail. */
  push(chunk: Buffer): void {
    this.bytes += chunk.length;
    if (this.bytes > this.options.maxBytes) {
      throw new WindowDownloadError(
        `the file is larger than EXPORT_MAX_DECOMPRESSED_BYTES (${this.options.maxBytes} bytes)`,
      );
    }
    this.rows.push(chunk);
  }

  /** The end of the file: its last record parsed, then the checks that need the whole file. */
  async end(): Promise<void> {
    await this.rows.end();
    if (!this.plan) throw new WindowDownloadError('the CSV file has no header row');
  }

  destroy(): void {
    this.rows.destroy();
  }

  /** Record fields in file order (the header row's names); empty before the header is read. */
  columns(): string[] {
    return this.plan?.names ?? [];
  }

  /** The header's name for the schema's key column; undefined before the header is read. */
  keyColumn(): string | undefined {
    return this.plan?.names[this.plan.key];
  }

  /**
   * False only for a date that can be read and lies outside the window: for a date without a
   * zone, outside it under every real UTC offset (see mayLieInWindow).
   */
  private inWindow(cell: string): boolean {
    const { days } = this;
    // UTC timestamps of a whole-day window: comparing the day prefix is enough (and cheap).
    if (days && UTC_STAMP.test(cell)) {
      const day = cell.slice(0, 10);
      return day >= days.first && day < days.end;
    }
    const at = cellInstant(cell);
    return at === undefined || mayLieInWindow(at, this.options.fromMs, this.options.toMs);
  }

  private onRow(row: string[]): void {
    const { plan } = this;
    if (!plan) {
      this.plan = planColumns(row, this.options.schema);
      return;
    }
    if (plan.window >= 0 && plan.window < row.length && !this.inWindow(row[plan.window])) {
      this.outside += 1;
      return;
    }
    if (isValid(row, plan)) this.sink.record(row, row[plan.key], plan);
    else this.sink.schemaError();
  }
}

/** Where CsvRecordReader hands each row that is not skipped. */
export interface CsvRecordSink {
  /** A row that passed the schema checks, its de-duplication key, and its file's column plan. */
  record(row: string[], key: string, plan: ColumnPlan): void;
  schemaError(): void;
}

/** Records as batches of JSON text with their keys (the ParsedDownload batches). */
export class CsvBatchCollector implements CsvRecordSink {
  private batch = emptyBatch();

  record(row: string[], key: string, plan: ColumnPlan): void {
    this.batch.json.push(rowJson(row, plan));
    this.batch.keys.push(key);
  }

  schemaError(): void {
    this.batch.schemaErrors += 1;
  }

  /** Records and schema errors collected since the last take. */
  get collected(): number {
    return this.batch.json.length + this.batch.schemaErrors;
  }

  take(): RecordBatch {
    const full = this.batch;
    this.batch = emptyBatch();
    return full;
  }
}

/**
 * Whether the row keeps the schema: as many cells as the header, no empty required value, every
 * typed cell of its type.
 */
function isValid(row: string[], p: ColumnPlan): boolean {
  if (row.length !== p.names.length) return false;
  for (const i of p.required) if (row[i].trim() === '') return false;
  const { typedAt } = p;
  for (let i = 0; i < row.length; i += 1) {
    const type = typedAt[i];
    if (type !== undefined && typedValue(row[i], type) === undefined) return false;
  }
  return true;
}

/**
 * A checked row as the text of its result-file line: the JSON array of its values in header
 * order (a "row line", read back against the window's columns: see readWindowRecords). An array
 * rather than an object keyed by the header names: half the bytes to encode and gzip, and
 * JSON.stringify of an array of strings is one native call (about a third cheaper, here, than
 * building the object's text from its cells). Typed columns get their values (the row was
 * checked, so each converts).
 */
export function rowJson(row: string[], p: ColumnPlan): string {
  if (!p.typed) return JSON.stringify(row);
  const { typedAt } = p;
  return JSON.stringify(
    row.map((cell, i) => {
      const type = typedAt[i];
      return type === undefined ? cell : typedValue(cell, type);
    }),
  );
}

function emptyBatch(): RecordBatch {
  return { json: [], keys: [], schemaErrors: 0 };
}
