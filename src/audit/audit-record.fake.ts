import type { AuditRecord } from './audit.types';

/** An audit record for specs: `i` makes its request id, `at` its time (epoch ms). */
export function auditRecord(
  i: number,
  at: number,
  overrides: Partial<AuditRecord> = {},
): AuditRecord {
  return {
    time: new Date(at).toISOString(),
    requestId: `r${i}`,
    actor: 'a',
    ip: '127.0.0.1',
    method: 'GET',
    route: '/v1/audit',
    action: i % 2 ? 'audit.list' : 'history.get',
    targets: {},
    status: 200,
    outcome: 'success',
    latencyMs: 1,
    ...overrides,
  };
}
