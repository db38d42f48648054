import { extname, join } from 'node:path';
import type { Readable } from 'node:stream';
import type { ParsedDownload, RecordBatch } from '../../../export/export.source';
import { CsvBatchCollector, CsvRecordReader, type CsvReadOptions } from './csv-records';
import type { CsvScanData } from './csv-scan';

export interface CsvDownloadOptions extends CsvReadOptions {
  /** Told how many rows were skipped as outside the window, once the file is read. */
  onOutsideWindow?: (rows: number) => void;
}

/** The CSV scan worker's entry module, beside this file (compiled or TypeScript alike). */
const CSV_SCAN_WORKER = join(__dirname, 'csv-scan.worker');
/**
 * The CSV scan's garbage is a dozen short strings per row (cells, JSON, NDJSON): in the JSON
 * scan's 4 MB young generation they outlive its scavenges and fill the old generation, which
 * doubled the worker's CPU time on a million rows; 16 MB lets them die young.
 */
const CSV_SCAN_YOUNG_GENERATION_MB = 16;
/** Records collected before a batch is handed on. */
const BATCH_ROWS = 1000;
/**
 * A Data Extraction CSV file as the export pipeline reads it, as it streams in (never whole):
 * rows checked against the entity schema and the window (see CsvRecordReader). Two ways to
 * read one download, the same records either way: `hosted`, which runRecordPipeline prefers,
 * runs parse, checks and de-duplication in the CSV scan worker (scanCsv; the host gzips its
 * NDJSON); `batches`
 * reads the file here, in this thread, into record batches. A file that cannot be used (cut
 * inside quotes, no header, a schema column missing, too large) fails with WindowDownloadError.
 */
export function readCsvRecords(body: Readable, options: CsvDownloadOptions): ParsedDownload {
  const { onOutsideWindow, ...readOptions } = options;
  const collected = new CsvBatchCollector();
  const reader = new CsvRecordReader(readOptions, collected);
  const data: CsvScanData = { options: readOptions };

  async function* batches(): AsyncGenerator<RecordBatch> {
    try {
      for await (const chunk of body as AsyncIterable<Buffer>) {
        reader.push(chunk);
        if (collected.collected >= BATCH_ROWS) yield collected.take();
      }
      await reader.end();
      onOutsideWindow?.(reader.outside);
      if (collected.collected > 0) yield collected.take();
    } finally {
      reader.destroy();
    }
  }

  return {
    kind: 'records',
    batches: batches(),
    columns: () => reader.columns(),
    keyColumn: () => reader.keyColumn(),
    outsideWindow: () => reader.outside,
    destroy: () => {
      body.destroy();
      reader.destroy();
    },
    hosted: {
      body,
      worker: {
        entry: CSV_SCAN_WORKER,
        callerExt: extname(__filename),
        data,
        youngGenerationMb: CSV_SCAN_YOUNG_GENERATION_MB,
      },
      onReport: (report) => onOutsideWindow?.(report.skipped),
    },
  };
}
