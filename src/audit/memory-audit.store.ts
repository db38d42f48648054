import { AuditLines } from './audit-lines';
import { AuditStore } from './audit-store';
import { AuditQuery, AuditRecord, matchesQuery } from './audit.types';

/**
 * The most recent `capacity` records, in memory (per replica), as the JSON-line batches they
 * were written in (outside the JavaScript heap, see AuditLines). The oldest batch goes once the
 * newer ones hold `capacity` records; queries see only the newest `capacity`.
 */
export class MemoryAuditStore extends AuditStore {
  /** Oldest first. */
  private readonly batches: AuditLines[] = [];
  private total = 0;

  constructor(private readonly capacity: number) {
    super();
  }

  append(lines: AuditLines): Promise<void> {
    this.remember(lines);
    return Promise.resolve();
  }

  query(query: AuditQuery): Promise<AuditRecord[]> {
    const out: AuditRecord[] = [];
    let seen = 0;
    for (let b = this.batches.length - 1; b >= 0; b--) {
      for (const record of this.batches[b].newestFirst()) {
        if (seen++ >= this.capacity || out.length >= query.limit) return Promise.resolve(out);
        if (matchesQuery(record, query)) out.push(record);
      }
    }
    return Promise.resolve(out);
  }

  get size(): number {
    return Math.min(this.total, this.capacity);
  }

  /** Adds a batch newer than those held; also used to reload older records before newer ones. */
  remember(lines: AuditLines): void {
    if (lines.count === 0) return;
    this.batches.push(lines);
    this.total += lines.count;
    let drop = 0;
    while (this.total - this.batches[drop].count >= this.capacity) {
      this.total -= this.batches[drop].count;
      drop++;
    }
    if (drop > 0) this.batches.splice(0, drop);
  }
}
