import type { ExportEntitySchema } from '../../../config/app-config.types';
import { WindowDownloadError } from '../../../export/export-pipeline';
import type { RecordBatch } from '../../../export/export.source';
import { cellInstantMs, planColumns, typedValue, type ColumnPlan } from './csv-columns';
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
 *   1. a row whose window-column date can be read and lies outside [fromMs, toMs) is skipped,
 *      uncounted (a tenant that reads endDate inclusively sends the next day too);
 *   2. a row with more or fewer cells than the header, an empty required value, a value that is
 *      not of its column's declared type, or a record the parser could not read, is a schema
 *      error;
 *   3. anything else is a record, values as strings unless the schema types the column, with its
 *      key column as the de-duplication key.
 * Records collect in `batch` until taken. The same code runs in the main thread (readCsvRecords'
 * batches) and in the export's CSV scan worker.
 */
export class CsvRecordReader {
  private plan: ColumnPlan | undefined;
  private batch = emptyBatch();
  private bytes = 0;
  /** Rows skipped as dated outside the window. */
  outside = 0;
  private readonly rows: CsvRows;
  private readonly days: { first: string; end: string } | undefined;

  constructor(private readonly options: CsvReadOptions) {
    this.days = wholeDays(options.fromMs, options.toMs);
    this.rows = new CsvRows({
      row: (cells) => this.onRow(cells),
      unreadable: () => {
        if (this.plan) this.batch.schemaErrors += 1;
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

  /** Records and schema errors collected since the last take. */
  get collected(): number {
    return this.batch.json.length + this.batch.schemaErrors;
  }

  take(): RecordBatch {
    const full = this.batch;
    this.batch = emptyBatch();
    return full;
  }

  /** Record fields in file order (the header row's names); empty before the header is read. */
  columns(): string[] {
    return this.plan?.names ?? [];
  }

  /** False only for a date that can be read and lies outside the window. */
  private inWindow(cell: string): boolean {
    const { days } = this;
    // UTC timestamps of a whole-day window: comparing the day prefix is enough (and cheap).
    if (days && UTC_STAMP.test(cell)) {
      const day = cell.slice(0, 10);
      return day >= days.first && day < days.end;
    }
    const at = cellInstantMs(cell);
    return at === undefined || (at >= this.options.fromMs && at < this.options.toMs);
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
    const json = toJson(row, plan);
    if (json === undefined) {
      this.batch.schemaErrors += 1;
      return;
    }
    this.batch.json.push(json);
    this.batch.keys.push(row[plan.key]);
  }
}

/** A character JSON.stringify writes other than as itself (surrogates: in case one is lone). */
// eslint-disable-next-line no-control-regex -- control characters are what JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * The row as the text of a JSON object keyed by the header names, or undefined when it breaks
 * the schema. Built from the cells directly rather than through an object and JSON.stringify,
 * and a cell with nothing to escape is only quoted (half the cost of JSON.stringify, the same
 * text): this runs once per row of files of a million rows.
 */
function toJson(row: string[], p: ColumnPlan): string | undefined {
  const { jsonKeys, typedAt } = p;
  if (row.length !== jsonKeys.length) return undefined;
  for (const i of p.required) if (row[i].trim() === '') return undefined;
  let json = '';
  for (let i = 0; i < row.length; i += 1) {
    const type = typedAt[i];
    const cell = row[i];
    let value = NEEDS_ESCAPE.test(cell) ? JSON.stringify(cell) : `"${cell}"`;
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
