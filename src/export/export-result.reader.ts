import { Injectable } from '@nestjs/common';
import { CompactKeySet } from '../common/collections/compact-key-set';
import { readWindowIds, readWindowRecords } from './export-pipeline';
import { ExportJobStore } from './export-job.store';
import type { ExportJobState } from './export.types';

/**
 * Reads an export's committed windows through the store: records for the API, ids for resume,
 * a sample for the webhook.
 */
@Injectable()
export class ExportResultReader {
  constructor(private readonly store: ExportJobStore) {}

  /** Every record of the committed windows, in window order. */
  async *records(job: ExportJobState): AsyncGenerator<Record<string, unknown>> {
    for (const w of job.windows) {
      if (w.status !== 'completed') continue;
      yield* readWindowRecords(this.store.openResultReader(job.id, w.index), w.columns);
    }
  }

  async sample(job: ExportJobState, size: number): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    if (size <= 0) return out;
    for await (const record of this.records(job)) {
      out.push(record);
      if (out.length >= size) break;
    }
    return out;
  }

  /** The export-wide seen-set, rebuilt from committed windows (on start and on resume). */
  async seenIds(job: ExportJobState): Promise<CompactKeySet> {
    const seen = new CompactKeySet();
    for (const w of job.windows) {
      if (w.status !== 'completed') continue;
      const file = this.store.openResultReader(job.id, w.index);
      for await (const id of readWindowIds(file, w.keyColumn ?? job.dataset?.key, w.columns))
        seen.add(id);
    }
    return seen;
  }
}
