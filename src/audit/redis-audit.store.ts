import type Redis from 'ioredis';
import type { AuditLines } from './audit-lines';
import { AuditStore } from './audit-store';
import { AuditQuery, AuditRecord, matchesQuery } from './audit.types';

/** The audit trail: requests with an identified caller. */
export const AUDIT_STREAM_KEY = 'cxgw:audit';
/** Requests without one, in their own small stream so they can never trim the trail. */
export const ANONYMOUS_STREAM_KEY = 'cxgw:audit:anonymous';
/** How far back a filtered query scans before giving up; keeps /v1/audit bounded. */
const SCAN_LIMIT = 20000;
const SCAN_BATCH = 1000;

/** Audit records in a capped Redis stream, shared by every replica. */
export class RedisAuditStore extends AuditStore {
  constructor(
    private readonly redis: Redis,
    private readonly stream: { key: string; maxLen: number },
  ) {
    super();
  }

  async append(lines: AuditLines): Promise<void> {
    if (!lines.count) return;
    const { key, maxLen } = this.stream;
    const pipeline = this.redis.pipeline();
    for (const line of lines.texts()) pipeline.xadd(key, 'MAXLEN', '~', maxLen, '*', 'r', line);
    const results = await pipeline.exec();
    const failed = results?.find(([err]) => err);
    if (failed?.[0]) throw failed[0];
  }

  async query(query: AuditQuery): Promise<AuditRecord[]> {
    const out: AuditRecord[] = [];
    const floor = query.since !== undefined ? String(query.since) : '-';
    let end = '+';
    let scanned = 0;
    while (out.length < query.limit && scanned < SCAN_LIMIT) {
      const batch = await this.redis.xrevrange(this.stream.key, end, floor, 'COUNT', SCAN_BATCH);
      if (!batch.length) break;
      scanned += batch.length;
      for (const [, fields] of batch) {
        const record = JSON.parse(fields[1]) as AuditRecord;
        if (matchesQuery(record, query)) out.push(record);
        if (out.length >= query.limit) break;
      }
      end = '(' + batch[batch.length - 1][0];
    }
    return out;
  }
}
