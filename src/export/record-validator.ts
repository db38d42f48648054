import { CompactKeySet } from '../common/collections/compact-key-set';
import { type ExportCounts, zeroCounts } from './export.types';

/** The fields v2 §exports requires of every exported bot event. */
export const REQUIRED_RECORD_FIELDS = [
  'id',
  'type',
  'dateFrom',
  'dateTo',
  'botId',
  'agentId',
  'duration',
] as const;

/** CSV columns: the required fields, then the optional ones CXone's bot events carry. */
export const RECORD_COLUMNS = [...REQUIRED_RECORD_FIELDS, 'conversationId', 'intent', 'outcome'];

/** A schema-valid export record (other fields are kept as they came). */
export interface ExportRecord {
  id: string;
  type: string;
  dateFrom: string;
  dateTo: string;
  botId: string;
  agentId: string;
  duration: number;
  [field: string]: unknown;
}

/**
 * Returns the record when it is an object with every required field of the right type (the
 * strings non-empty for `id`, `duration` a finite non-negative number); undefined otherwise.
 * Written as plain property reads, not class-validator or a loop over field names: it runs a
 * million times per large export, and fixed property names keep V8 on its fast path.
 */
export function validateRecord(value: unknown): ExportRecord | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const r = value as Record<string, unknown>;
  if (typeof r.id !== 'string' || r.id === '') return undefined;
  if (
    typeof r.type !== 'string' ||
    typeof r.dateFrom !== 'string' ||
    typeof r.dateTo !== 'string' ||
    typeof r.botId !== 'string' ||
    typeof r.agentId !== 'string'
  ) {
    return undefined;
  }
  const d = r.duration;
  if (typeof d !== 'number' || !Number.isFinite(d) || d < 0) return undefined;
  return r as ExportRecord;
}

/**
 * The validate-then-dedupe step every export path shares (the JSON array download and the CSV
 * path alike): each received element is counted, checked with validateRecord, and dropped when
 * its id was committed by an earlier window (`committed`, read only) or already passed here.
 * The ids it lets through collect in `ids`, to be added to the committed set once the window
 * is committed. Counts keep `received = valid + duplicates + schemaErrors`.
 */
export class RecordFilter {
  readonly counts: ExportCounts = zeroCounts();
  readonly ids = new CompactKeySet();

  constructor(private readonly committed: CompactKeySet | null = null) {}

  /** The record to write, or undefined when it is schema-invalid or a duplicate. */
  accept(value: unknown): ExportRecord | undefined {
    const counts = this.counts;
    counts.received += 1;
    const record = validateRecord(value);
    if (!record) {
      counts.schemaErrors += 1;
      return undefined;
    }
    if (!this.ids.insertUnlessIn(record.id, this.committed)) {
      counts.duplicates += 1;
      return undefined;
    }
    counts.valid += 1;
    return record;
  }
}
