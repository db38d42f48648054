import { AuditQuery, AuditRecord, AuditStore, matchesQuery } from './audit.types';

/** The most recent `capacity` records, in memory (per replica), oldest evicted first. */
export class MemoryAuditStore extends AuditStore {
  private readonly ring: AuditRecord[] = [];

  constructor(private readonly capacity: number) {
    super();
  }

  append(records: readonly AuditRecord[]): Promise<void> {
    this.remember(records);
    return Promise.resolve();
  }

  query(query: AuditQuery): Promise<AuditRecord[]> {
    const out: AuditRecord[] = [];
    for (let i = this.ring.length - 1; i >= 0 && out.length < query.limit; i--) {
      if (matchesQuery(this.ring[i], query)) out.push(this.ring[i]);
    }
    return Promise.resolve(out);
  }

  get size(): number {
    return this.ring.length;
  }

  /** Adds records in time order; also used to reload older records before newer ones. */
  remember(records: readonly AuditRecord[]): void {
    // push(...records) would overflow the call stack for a large reload.
    for (const record of records) this.ring.push(record);
    if (this.ring.length > this.capacity) this.ring.splice(0, this.ring.length - this.capacity);
  }
}
