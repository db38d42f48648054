import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { CompactKeySet } from '../../../common/collections/compact-key-set';
import { ownsArrayBuffer, releaseArrayBuffer } from '../../../common/collections/release-buffer';
import { RecordBatchFilter } from '../../../export/record-batches';
import type { ServedScanResult } from '../../../export/scan-worker.serve';
import { NdjsonBytes } from './csv-ndjson';
import { CsvRecordReader, type CsvReadOptions } from './csv-records';
import { WriteAhead } from '../../../common/streams/write-ahead';

/** What the CSV scan worker starts with (its `workerData`; the host adds `committed`). */
export interface CsvScanData {
  options: CsvReadOptions;
}

const CHUNK_BYTES = 256 * 1024;
/**
 * NDJSON buffers queued in gzip (see WriteAhead): it deflates one on the libuv pool while the
 * next waits and this thread parses the rows of a third.
 */
const GZIP_DEPTH = 3;
/** The queue's bound is GZIP_DEPTH; gzip's own high-water mark must not cut it short. */
const GZIP_QUEUE = { writableHighWaterMark: GZIP_DEPTH * CHUNK_BYTES };

/**
 * One Data Extraction file from body bytes to gzip NDJSON on `output`, in one pass: rows parsed
 * and checked (CsvRecordReader), each record counted and de-duplicated as it is read
 * (RecordBatchFilter), the survivors written as NDJSON bytes (NdjsonBytes), gzip level 1 — the
 * same counts and bytes as readCsvRecords' batches through runRecordPipeline in the main thread,
 * here for the CSV scan worker. Reports the header's names and the rows skipped as outside the
 * window.
 */
export async function scanCsv(
  body: AsyncIterable<Buffer>,
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
  const gzip = createGzip({ level: 1, chunkSize: CHUNK_BYTES, ...GZIP_QUEUE });
  const written = pipeline(gzip, output);
  const queue = new WriteAhead(gzip, GZIP_DEPTH);
  try {
    for await (const chunk of body) {
      reader.push(chunk);
      // Decoded into text: nothing reads the chunk any more, and the GC would free it late.
      if (ownsArrayBuffer(chunk)) releaseArrayBuffer(chunk.buffer as ArrayBuffer);
      if (lines.full.length > 0) await handOver(lines, queue);
    }
    await reader.end();
    lines.flush();
    await handOver(lines, queue);
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
    report: { columns: reader.columns(), keyColumn: reader.keyColumn(), skipped: reader.outside },
  };
}

/** Full NDJSON buffers to gzip, each recycled once zlib has taken it in. */
async function handOver(lines: NdjsonBytes, queue: WriteAhead): Promise<void> {
  for (let buffer = lines.full.shift(); buffer; buffer = lines.full.shift()) {
    const taken = buffer;
    await queue.write(taken, () => lines.recycle(taken));
  }
}
