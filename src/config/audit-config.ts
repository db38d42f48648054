import { Env, readInt } from './env-parsers';

/** Size and age limits of the local audit file (DATA_DIR/audit/audit.jsonl) and its rotations. */
export interface AuditFileConfig {
  /** AUDIT_FILE_MAX_BYTES: the current file is rotated before it would grow past this. */
  maxBytes: number;
  /** AUDIT_FILE_MAX_AGE_HOURS: the current file is rotated once its first record is this old. */
  maxAgeHours: number;
  /** AUDIT_FILE_MAX_FILES: rotated files kept at most (the oldest are removed first). */
  maxFiles: number;
  /** AUDIT_RETENTION_DAYS: rotated files older than this are removed. */
  retentionDays: number;
}

/** Requests without an identified caller: counted and kept apart from the audit trail. */
export interface AnonymousAuditConfig {
  /** AUDIT_ANONYMOUS_RECORDS: size of their own capped store (GET /v1/audit/anonymous). */
  maxRecords: number;
  /** AUDIT_ANONYMOUS_LOG_INTERVAL_S: at most one summary log line per status per interval. */
  logIntervalS: number;
}

export interface AuditConfig {
  /** AUDIT_STREAM_MAXLEN: records the Redis stream keeps (approximate trimming). */
  streamMaxLen: number;
  /** AUDIT_MEMORY_RECORDS: records GET /v1/audit answers from without Redis. */
  memoryRecords: number;
  file: AuditFileConfig;
  anonymous: AnonymousAuditConfig;
}

/** The `AUDIT_*` settings. */
export function parseAuditConfig(env: Env): AuditConfig {
  return {
    streamMaxLen: readInt(env, 'AUDIT_STREAM_MAXLEN', 100000, { min: 100 }),
    memoryRecords: readInt(env, 'AUDIT_MEMORY_RECORDS', 20000, { min: 100 }),
    file: {
      maxBytes: readInt(env, 'AUDIT_FILE_MAX_BYTES', 64 * 1024 * 1024, { min: 1024 }),
      maxAgeHours: readInt(env, 'AUDIT_FILE_MAX_AGE_HOURS', 24, { min: 1 }),
      maxFiles: readInt(env, 'AUDIT_FILE_MAX_FILES', 10, { min: 1, max: 1000 }),
      retentionDays: readInt(env, 'AUDIT_RETENTION_DAYS', 30, { min: 1 }),
    },
    anonymous: {
      maxRecords: readInt(env, 'AUDIT_ANONYMOUS_RECORDS', 1000, { min: 10 }),
      logIntervalS: readInt(env, 'AUDIT_ANONYMOUS_LOG_INTERVAL_S', 60, { min: 1 }),
    },
  };
}
