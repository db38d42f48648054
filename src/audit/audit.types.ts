/** One audit fact: who did what to which object, and how it ended. Never bodies or secrets. */
export interface AuditRecord {
  time: string;
  requestId: string;
  actor: string | null;
  ip: string;
  method: string;
  route: string;
  action: string;
  targets: Record<string, string>;
  status: number;
  outcome: 'success' | 'client_error' | 'denied' | 'server_error' | 'aborted';
  latencyMs: number;
  cache?: string;
  /** Extra facts a feature attached (e.g. requested agent status), small and secret-free. */
  detail?: Record<string, string | number | boolean | null>;
}

export interface AuditQuery {
  since?: number;
  actor?: string;
  action?: string;
  limit: number;
}

export function matchesQuery(record: AuditRecord, query: AuditQuery): boolean {
  if (query.since !== undefined && Date.parse(record.time) < query.since) return false;
  if (query.actor !== undefined && record.actor !== query.actor) return false;
  if (query.action !== undefined && record.action !== query.action) return false;
  return true;
}
