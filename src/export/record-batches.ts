import { CompactKeySet } from '../common/collections/compact-key-set';
import type { RecordBatch } from './export.source';
import { type ExportCounts, zeroCounts } from './export.types';

/**
 * Counts and de-duplicates the record batches of one window, keyed by the data set's key, and
 * gives each batch's survivors as NDJSON. Every record of a batch is received; its schema
 * errors are counted as such; a kept record whose key an earlier window committed, or this
 * window already passed, is a duplicate; the rest are valid. So
 * `received = valid + duplicates + schemaErrors`. The same in the main thread and in a worker.
 */
export class RecordBatchFilter {
  readonly counts: ExportCounts = zeroCounts();
  /** Keys this window kept, to be added to the export's seen-set once committed. */
  readonly ids = new CompactKeySet();

  /** `committed`: keys of earlier windows, read only (null when there are none). */
  constructor(private readonly committed: { has(key: string): boolean } | null) {}

  /** The batch's valid records, one JSON object per line ('' when none is left). */
  lines(batch: RecordBatch): string {
    const { json, keys } = batch;
    this.counts.received += batch.schemaErrors;
    this.counts.schemaErrors += batch.schemaErrors;
    let out = '';
    for (let i = 0; i < json.length; i += 1) if (this.keep(keys[i])) out += `${json[i]}\n`;
    return out;
  }

  /** One record that kept the schema, by its key: true when it is to be written (not a duplicate). */
  keep(key: string): boolean {
    const { counts } = this;
    counts.received += 1;
    if (this.committed?.has(key) || !this.ids.insert(key)) {
      counts.duplicates += 1;
      return false;
    }
    counts.valid += 1;
    return true;
  }

  /** One record that broke the schema. */
  schemaError(): void {
    this.counts.received += 1;
    this.counts.schemaErrors += 1;
  }
}
