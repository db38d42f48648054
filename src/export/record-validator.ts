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
