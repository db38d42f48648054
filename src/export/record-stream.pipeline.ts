import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { CompactKeySet } from '../common/collections/compact-key-set';
import { WindowDownloadError } from './export-pipeline';
import type { ParsedDownload } from './export.source';
import { type ExportCounts, zeroCounts } from './export.types';

export interface RecordPipelineInput {
  download: ParsedDownload;
  /** Keys already committed by earlier windows of the same export (read only here). */
  seen: { has(key: string): boolean; readonly size: number };
  /** Where the window's gzip NDJSON goes (the job store's result writer; the caller commits it). */
  sink: Writable;
  signal?: AbortSignal;
}

export interface RecordPipelineResult {
  counts: ExportCounts;
  /** Keys this window wrote, to be added to the export's seen-set once committed. */
  ids: CompactKeySet;
  /** The window's record fields (its CSV header), for the CSV output of the records. */
  columns: string[];
}

const CHUNK_BYTES = 256 * 1024;

/**
 * The export pipeline for a download the dialect parsed itself (ParsedDownload): the same
 * counting, de-duplication and result file as the JSON path, keyed by the data set's key.
 * Every record the dialect reports is received; its schema errors are counted as such; a kept
 * record whose key an earlier window committed, or this window already passed, is a duplicate;
 * the rest are written as gzip NDJSON. So `received = valid + duplicates + schemaErrors`.
 */
export async function runRecordPipeline(input: RecordPipelineInput): Promise<RecordPipelineResult> {
  const counts = zeroCounts();
  const ids = new CompactKeySet();
  const committed = input.seen.size > 0 ? input.seen : null;
  async function* ndjson(): AsyncGenerator<string> {
    for await (const batch of input.download.batches) {
      const { json, keys } = batch;
      counts.received += json.length + batch.schemaErrors;
      counts.schemaErrors += batch.schemaErrors;
      let out = '';
      for (let i = 0; i < json.length; i += 1) {
        if (committed?.has(keys[i]) || !ids.insert(keys[i])) {
          counts.duplicates += 1;
          continue;
        }
        counts.valid += 1;
        out += `${json[i]}\n`;
      }
      if (out !== '') yield out;
    }
  }
  try {
    await pipeline(ndjson, createGzip({ level: 1, chunkSize: CHUNK_BYTES }), input.sink, {
      signal: input.signal,
    });
  } catch (err) {
    input.download.destroy();
    if (input.signal?.aborted) throw input.signal.reason;
    if (err instanceof WindowDownloadError) throw err;
    throw new WindowDownloadError(`download failed: ${(err as Error)?.message ?? String(err)}`, {
      cause: err,
    });
  }
  return { counts, ids, columns: input.download.columns() };
}
