/** Scopes an API key may hold. The list is the contract of DESIGN §4. */
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
}

export type TokenAuthStyle = 'body' | 'basic';

export interface CxoneConfig {
  /** Unset in sandbox mode until the embedded sandbox has started and filled it in. */
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
  maxRps: number;
  maxConcurrency: number;
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
  /** `sandbox` when CXONE_API_BASE_URL is unset: the embedded simulator is started. */
  mode: 'sandbox' | 'cxone';
  cxone: CxoneConfig;
  apiKeys: ApiKeyEntry[];
  /** True when no API_KEYS were given in sandbox mode and the demo key is active. */
  demoKeyActive: boolean;
  redis: RedisConfig;
  dataDir: string;
  bodyLimitBytes: number;
  reporting: { queueStatsTtlS: number; maxHistoryDays: number };
  analytics: {
    cacheTtlS: number;
    allowedMetrics: string[];
    allowedDimensions: string[];
    maxRangeDays: number;
  };
  status: { validPauseReasons: string[]; idempotencyTtlS: number };
  export: {
    windowDays: number;
    maxActiveJobs: number;
    maxSpanDays: number;
    maxDecompressedBytes: number;
    pollIntervalMs: number;
    windowAttempts: number;
  };
  webhook: { signingSecret?: string; allowedHosts: string[]; maxAttempts: number };
  wfm: { webhookUrl?: string };
  audit: { streamMaxLen: number };
  /**
   * Every `SANDBOX_*` variable as a raw string (empty ones left out). The sandbox parses and
   * validates them itself when it starts, so configuration knows nothing of the simulator.
   */
  sandboxEnv: Readonly<Record<string, string>>;
  /** Every configured secret, for log redaction. */
  secrets: string[];
}
