import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { CompactKeySet } from '../../../common/collections/compact-key-set';
import { RecordBatchFilter } from '../../../export/record-batches';
import type { ServedScanResult } from '../../../export/scan-worker.serve';
import { CsvRecordReader, type CsvReadOptions } from './csv-records';

/** What the CSV scan worker starts with (its `workerData`; the host adds `committed`). */
export interface CsvScanData {
  options: CsvReadOptions;
}

/** Records collected before they are de-duplicated and handed to gzip together. */
const BATCH_ROWS = 1000;
const CHUNK_BYTES = 256 * 1024;

/**
 * One Data Extraction file from body bytes to gzip NDJSON on `output`: rows parsed and checked
 * (CsvRecordReader), counted and de-duplicated (RecordBatchFilter), the survivors written one
 * per line, gzip level 1 — what readCsvRecords' batches and runRecordPipeline do in the main
 * thread, here in one pass for the CSV scan worker. Reports the header's names and the rows
 * skipped as outside the window.
 */
export async function scanCsv(
  body: AsyncIterable<Buffer>,
  options: CsvReadOptions,
  committed: CompactKeySet | null,
  output: Writable,
): Promise<ServedScanResult> {
  const reader = new CsvRecordReader(options);
  const filter = new RecordBatchFilter(committed);
  const gzip = createGzip({ level: 1, chunkSize: CHUNK_BYTES });
  const written = pipeline(gzip, output);
  const flush = async (): Promise<void> => {
    const out = filter.lines(reader.take());
    if (out !== '' && !gzip.write(out)) await once(gzip, 'drain');
  };
  try {
    for await (const chunk of body) {
      reader.push(chunk);
      if (reader.collected >= BATCH_ROWS) await flush();
    }
    await reader.end();
    await flush();
    gzip.end();
    await written;
  } catch (err) {
    reader.destroy();
    gzip.destroy();
    await written.catch(() => undefined);
    throw err;
  }
  return {
    counts: filter.counts,
    ids: filter.ids,
    report: { columns: reader.columns(), skipped: reader.outside },
  };
}
