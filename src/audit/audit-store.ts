import type { AuditLines } from './audit-lines';
import type { AuditQuery, AuditRecord } from './audit.types';

/** Where audit records are kept: a JSONL file in memory mode, a capped Redis stream otherwise. */
export abstract class AuditStore {
  /** Stores a batch of records, already JSON lines (see AuditLines). */
  abstract append(lines: AuditLines): Promise<void>;
  /** Newest first. */
  abstract query(query: AuditQuery): Promise<AuditRecord[]>;
}
