import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { CompactKeySet } from '../../../common/collections/compact-key-set';
import { RecordBatchFilter } from '../../../export/record-batches';
import type { ScanInput, ServedScanResult } from '../../../export/scan-worker.serve';
import { NdjsonBytes } from './csv-ndjson';
import { CsvRecordReader, type CsvReadOptions } from './csv-records';
import { WriteAhead } from '../../../common/streams/write-ahead';

/** What the CSV scan worker starts with (its `workerData`; the host adds `committed`). */
export interface CsvScanData {
  options: CsvReadOptions;
}

/**
 * NDJSON buffers on their way to the host (see WriteAhead): it gzips one while the next waits
 * and this thread parses the rows of a third.
 */
const OUTPUT_DEPTH = 3;

/**
 * One Data Extraction file from body bytes to NDJSON on `output`, in one pass: rows parsed and
 * checked (CsvRecordReader), each record counted and de-duplicated as it is read
 * (RecordBatchFilter), the survivors written as NDJSON bytes (NdjsonBytes), which the host gzips
 * — the same counts and bytes as readCsvRecords' batches through runRecordPipeline in the main
 * thread, here for the CSV scan worker. Reports the header's names and the rows skipped as
 * outside the window.
 */
export async function scanCsv(
  body: ScanInput,
  options: CsvReadOptions,
  committed: CompactKeySet | null,
  output: Writable,
): Promise<ServedScanResult> {
  const filter = new RecordBatchFilter(committed);
  const lines = new NdjsonBytes();
  const reader = new CsvRecordReader(options, {
    record: (row, key, plan) => {
      if (filter.keep(key)) lines.write(row, plan);
    },
    schemaError: () => filter.schemaError(),
  });
  const queue = new WriteAhead(output, OUTPUT_DEPTH);
  try {
    for await (const chunk of body) {
      reader.push(chunk);
      // Decoded into text: nothing reads the chunk any more, its buffer goes back to the host.
      body.release(chunk);
      if (lines.full.length > 0) await handOver(lines, queue);
    }
    await reader.end();
    lines.flush();
    await handOver(lines, queue);
    output.end();
    await finished(output);
  } catch (err) {
    reader.destroy();
    output.destroy();
    throw err;
  }
  return {
    counts: filter.counts,
    ids: filter.ids,
    report: { columns: reader.columns(), keyColumn: reader.keyColumn(), skipped: reader.outside },
  };
}

/** Full NDJSON buffers to the host, each recycled once it is copied or moved. */
async function handOver(lines: NdjsonBytes, queue: WriteAhead): Promise<void> {
  for (let buffer = lines.full.shift(); buffer; buffer = lines.full.shift()) {
    const taken = buffer;
    await queue.write(taken, () => lines.recycle(taken));
  }
}
