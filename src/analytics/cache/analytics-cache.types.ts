import type { AnalyticsRow, RowWarning } from '../kpi/kpi-engine';

/** What one query produces and the cache holds: everything but the per-request cache info. */
export interface AnalyticsPayload {
  rows: AnalyticsRow[];
  columns: string[];
  kpis: string[];
  generatedAt: string;
  warnings?: RowWarning[];
}

/** A cache entry: the payload, its ETag and its logical lifetime (epoch ms). */
export interface CachedEntry {
  payload: AnalyticsPayload;
  /** Strong ETag (quoted) of the payload. */
  etag: string;
  storedAt: number;
  /** After this the entry is stale: served only when CXone fails (stale-if-error). */
  expiresAt: number;
}

/** A cross-replica "I am fetching this query" lock. */
export interface AnalyticsLock {
  /** False when another replica holds the lock. */
  acquired: boolean;
  /** True when the lock was really taken in Redis (other replicas may have raced us). */
  shared: boolean;
  release(): Promise<void>;
}

/** Weight of a cache value for memory bounds: the rows it holds (Keyv wraps values in {value}). */
export function rowsWeight(value: unknown): number {
  const inner =
    typeof value === 'object' && value !== null && 'value' in value ? value.value : value;
  const rows = (inner as Partial<CachedEntry> | undefined)?.payload?.rows;
  return 1 + (Array.isArray(rows) ? rows.length : 0);
}

export function isCachedEntry(value: unknown): value is CachedEntry {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Partial<CachedEntry>;
  return (
    typeof e.etag === 'string' &&
    typeof e.storedAt === 'number' &&
    typeof e.expiresAt === 'number' &&
    typeof e.payload === 'object' &&
    e.payload !== null &&
    Array.isArray(e.payload.rows) &&
    Array.isArray(e.payload.columns) &&
    Array.isArray(e.payload.kpis) &&
    typeof e.payload.generatedAt === 'string'
  );
}
