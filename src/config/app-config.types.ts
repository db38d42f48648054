import type { AcdEndpoint } from './acd-endpoints';
import type { AuditConfig } from './audit-config';
import type { HealthConfig } from './health-config';
import type { HttpConfig, OperationLimits } from './http-config';
import type { ApiKeyRateLimit, RateLimitConfig } from './rate-limit-config';

/** Scopes an API key may hold. The list is the contract of the /v1 contract in README.md. */
export const API_SCOPES = [
  'reporting:read',
  'analytics:read',
  'export:read',
  'export:write',
  'status:write',
  'audit:read',
] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export interface ApiKeyEntry {
  name: string;
  /** Lower-case hex SHA-256 of the key; keys are never held in clear. */
  sha256: string;
  scopes: ApiScope[];
  /** This key's own request rate limits (RATE_LIMIT_* for whatever it leaves out). */
  rateLimit?: ApiKeyRateLimit;
}

export type TokenAuthStyle = 'body' | 'basic';

/** Which CXone surface the gateway speaks: the seeds' `/api/v2` or the real inContact API. */
export type CxoneDialect = 'v2' | 'incontact';

/** Settings only the `incontact` dialect reads. */
export interface InContactConfig {
  /** OIDC issuer: discovery, token endpoint and tenant discovery live under it. */
  issuer: string;
  /** The employee's access key (password grant); the secret is redacted everywhere. */
  accessKeyId: string;
  accessKeySecret: string;
  /** The `NN.0` of `/inContactAPI/services/vNN.0`. */
  apiVersion: string;
  /** CXONE_API_VERSIONS: the endpoints pinned to another version than `apiVersion`. */
  apiVersions: Partial<Record<AcdEndpoint, string>>;
}

export interface CxoneConfig {
  dialect: CxoneDialect;
  /**
   * Unset in sandbox mode until the embedded sandbox has started and filled it in. In the
   * `incontact` dialect it overrides the discovered `api_endpoint` when set.
   */
  baseUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  tokenAuth: TokenAuthStyle;
  scopes?: string;
  timeoutMs: number;
  /** Total time one logical operation (all retries included) may take. */
  deadlineMs: number;
  maxAttempts: number;
  /** CXONE_MAX_RPS: a hard ceiling on the learned request rate; unset: none. */
  maxRps?: number;
  /** CXONE_MAX_CONCURRENCY: a hard ceiling on the adaptive concurrency limit; unset: none. */
  maxConcurrency?: number;
  incontact: InContactConfig;
}

/** How a Data Extraction CSV value is read (anything not listed stays a string). */
export type ExportValueType = 'string' | 'integer' | 'number' | 'boolean';

/** What the gateway checks in one Data Extraction entity's rows (column names as in its CSV). */
export interface ExportEntitySchema {
  /** Columns a row must not leave empty. */
  required: string[];
  /** The column records are de-duplicated by. */
  key: string;
  /** The date column that places a row in a window (rows outside it are skipped); null: none. */
  windowColumn: string | null;
  types: Record<string, ExportValueType>;
}

export interface ExportConfig {
  windowDays: number;
  maxActiveJobs: number;
  maxSpanDays: number;
  maxDecompressedBytes: number;
  pollIntervalMs: number;
  windowAttempts: number;
  /** Queued plus running exports one API key may have at once (EXPORT_MAX_PER_KEY). */
  maxPerKey: number;
  /** How long a finished export's results are kept (EXPORT_RETENTION_HOURS). */
  retentionHours: number;
  /** How often the retention sweeper looks for expired results (EXPORT_SWEEP_INTERVAL_S). */
  sweepIntervalS: number;
  /** incontact: the Data Extraction entity and version an export reads unless it names one. */
  entity: string;
  entityVersion: string;
  entitySchemas: Record<string, ExportEntitySchema>;
}

export interface RedisConfig {
  cacheUrl?: string;
  queueUrl?: string;
}

export interface AppConfig {
  port: number;
  host: string;
  /** Trust X-Forwarded-* from a load balancer (audit source IPs). */
  trustProxy: boolean;
  logLevel: string;
  /**
   * `sandbox` when no real upstream is configured (CXONE_API_BASE_URL, CXONE_ISSUER and
   * CXONE_ACCESS_KEY_ID unset): the embedded simulator is started.
   */
  mode: 'sandbox' | 'cxone';
  cxone: CxoneConfig;
  apiKeys: ApiKeyEntry[];
  /** True when no API_KEYS were given in sandbox mode and the demo key is active. */
  demoKeyActive: boolean;
  redis: RedisConfig;
  dataDir: string;
  bodyLimitBytes: number;
  /** Per-API-key request limits (src/auth/rate-limit). */
  rateLimit: RateLimitConfig;
  /** Inbound HTTP timeouts (slow clients). */
  http: HttpConfig;
  /** Deadline and upstream-call bounds of one request's whole upstream operation. */
  limits: OperationLimits;
  reporting: {
    queueStatsTtlS: number;
    maxHistoryDays: number;
    /** CACHE_FAST_PATH: answer repeated cache hits before Nest's pipeline (src/replay/). */
    fastPath: boolean;
  };
  /** Live queue stream: ticket lifetime and concurrent streams per API key (per replica). */
  live: { streamTicketTtlS: number; streamMaxPerKey: number };
  analytics: {
    cacheTtlS: number;
    allowedMetrics: string[];
    allowedDimensions: string[];
    maxRangeDays: number;
    /** Most time buckets × other dimension values one summary query may produce. */
    maxBuckets: number;
  };
  status: { validPauseReasons: string[]; idempotencyTtlS: number };
  export: ExportConfig;
  webhook: { signingSecret?: string; allowedHosts: string[]; maxAttempts: number };
  wfm: { webhookUrl?: string };
  audit: AuditConfig;
  /** Readiness probe of CXone: interval and timeout. */
  health: HealthConfig;
  /**
   * Every `SANDBOX_*` variable as a raw string (empty ones left out). The sandbox parses and
   * validates them itself when it starts, so configuration knows nothing of the simulator.
   */
  sandboxEnv: Readonly<Record<string, string>>;
  /** Every configured secret, for log redaction. */
  secrets: string[];
}
