/** Lifecycle of one export as the API reports it. */
export const EXPORT_STATUSES = [
  'queued',
  'running',
  'completed',
  'partial',
  'failed',
  'cancelled',
] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

/** Statuses after which nothing more happens to the records. */
export const FINISHED_STATUSES: ReadonlySet<ExportStatus> = new Set([
  'completed',
  'partial',
  'failed',
  'cancelled',
]);

export type WindowStatus = 'pending' | 'running' | 'completed' | 'failed';

/**
 * Record counts of committed windows (a failed attempt contributes nothing):
 *   received     = raw array elements parsed
 *   schemaErrors = elements failing validation (every copy)
 *   duplicates   = valid elements whose id was already seen, within or across windows
 *   valid        = unique valid records written
 * so received = valid + duplicates + schemaErrors.
 *   outsideWindow = rows the dialect skipped before counting them as received, dated outside
 *                   their window (incontact Data Extraction files only; absent elsewhere)
 */
export interface ExportCounts {
  received: number;
  valid: number;
  duplicates: number;
  schemaErrors: number;
  outsideWindow?: number;
}

export function zeroCounts(): ExportCounts {
  return { received: 0, valid: 0, duplicates: 0, schemaErrors: 0 };
}

export function addCounts(a: ExportCounts, b: ExportCounts): ExportCounts {
  const sum: ExportCounts = {
    received: a.received + b.received,
    valid: a.valid + b.valid,
    duplicates: a.duplicates + b.duplicates,
    schemaErrors: a.schemaErrors + b.schemaErrors,
  };
  // Present as soon as one side counts it (windows committed before it existed have none).
  if (a.outsideWindow !== undefined || b.outsideWindow !== undefined)
    sum.outsideWindow = (a.outsideWindow ?? 0) + (b.outsideWindow ?? 0);
  return sum;
}

export interface ExportWindowState {
  index: number;
  dateFrom: string;
  dateTo: string;
  status: WindowStatus;
  /** Recorded as soon as CXone answers the create, so a restart polls the same job. */
  upstreamJobId: string | null;
  /** Attempts used so far (download or upstream-job failures), kept across restarts. */
  attempts: number;
  /** Counts of this window once committed. */
  counts: ExportCounts | null;
  /** Record fields of a committed window the dialect parsed itself (its CSV header). */
  columns?: string[];
  /**
   * The field of `columns` that holds the data set's key (the header's name for it, which may
   * be longer than the schema's: `Segment ID (Contact)`), for rebuilding the seen-set on resume.
   */
  keyColumn?: string;
  error?: string;
}

export type WebhookState = 'none' | 'pending' | 'delivered' | 'failed';

export interface ExportWebhookState {
  url: string | null;
  state: WebhookState;
  attempts: number;
  lastStatus?: number | null;
  lastError?: string | null;
}

/** The durable state of one export (`DATA_DIR/exports/<id>/job.json`). */
export interface ExportJobState {
  version: 1;
  id: string;
  /** API key name that created it; nobody else can see it. */
  owner: string;
  start: string;
  end: string;
  status: ExportStatus;
  windows: ExportWindowState[];
  webhook: ExportWebhookState;
  /** The upstream data set, in dialects that have several (absent: v2 bot events, keyed by id). */
  dataset?: ExportDataset;
  createdAt: string;
  updatedAt: string;
  /** When the export reached a finished status (stamped by the store); retention counts from it. */
  finishedAt?: string;
  /** Set once the result files are gone: by the retention sweeper, a DELETE, or a cancel. */
  resultsRemoved?: ResultsRemoval;
  error?: string;
}

/** Why an export's result files were removed. */
export type RemovalReason = 'expired' | 'deleted' | 'cancelled';

export interface ResultsRemoval {
  at: string;
  reason: RemovalReason;
}

/** Which upstream data set an export reads, for dialects that have several (entity + version). */
export interface ExportDataset {
  entity: string;
  version: string;
  /** The record field exports of this data set are de-duplicated by. */
  key: string;
}
