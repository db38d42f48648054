import type { AppConfig, CxoneConfig } from './app-config.types';
import { demoKeyEntry, parseApiKeys } from './api-keys';
import { hasRealUpstream, parseDialectSettings } from './cxone-dialect';
import { parseAuditConfig } from './audit-config';
import { parseExportConfig } from './export-config';
import { parseHealthConfig } from './health-config';
import { parseRateLimitConfig } from './rate-limit-config';
import { parseHttpConfig, parseOperationLimits } from './http-config';
import {
  DEFAULT_ANALYTICS_DIMENSIONS,
  DEFAULT_ANALYTICS_METRICS,
  DEFAULT_PAUSE_REASONS,
} from './defaults';
import { ConfigError, Env, readEnum, readInt, readList, readString, readUrl } from './env-parsers';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Builds the typed configuration tree from an environment record. Pure: tests pass a plain object;
 * only `loadConfigFromEnv` touches process.env. Throws ConfigError naming the first bad variable.
 */
export function parseConfig(env: Env): AppConfig {
  const cxone = parseCxone(env);
  const mode = hasRealUpstream(env) ? 'cxone' : 'sandbox';
  const apiKeysRaw = readString(env, 'API_KEYS');
  let apiKeys = apiKeysRaw ? parseApiKeys(apiKeysRaw) : [];
  if (mode === 'cxone' && apiKeys.length === 0) {
    throw new ConfigError(
      'API_KEYS',
      'is required with a real CXone upstream (the demo key only exists in sandbox mode)',
    );
  }
  const demoKeyActive = mode === 'sandbox' && apiKeys.length === 0;
  if (demoKeyActive) apiKeys = [demoKeyEntry()];

  const redisUrl = readUrl(env, 'REDIS_URL');
  const webhookSecret = readString(env, 'WEBHOOK_SIGNING_SECRET');
  const config: AppConfig = {
    port: readInt(env, 'PORT', 3000, { min: 0, max: 65535 }),
    host: readString(env, 'HOST', '0.0.0.0'),
    trustProxy: readEnum(env, 'TRUST_PROXY', ['true', 'false'], 'false') === 'true',
    logLevel: readEnum(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    mode,
    cxone,
    apiKeys,
    demoKeyActive,
    redis: {
      cacheUrl: readUrl(env, 'CACHE_REDIS_URL') ?? redisUrl,
      queueUrl: readUrl(env, 'QUEUE_REDIS_URL') ?? redisUrl,
    },
    dataDir: readString(env, 'DATA_DIR', './data'),
    bodyLimitBytes: readInt(env, 'BODY_LIMIT_BYTES', 256 * 1024, { min: 1024 }),
    rateLimit: parseRateLimitConfig(env),
    http: parseHttpConfig(env),
    limits: parseOperationLimits(env, cxone.deadlineMs),
    reporting: {
      queueStatsTtlS: readInt(env, 'QUEUE_STATS_TTL_S', 5, { min: 0 }),
      fastPath: readEnum(env, 'CACHE_FAST_PATH', ['true', 'false'], 'true') === 'true',
      maxHistoryDays: readInt(env, 'HISTORY_MAX_DAYS', 31, { min: 1, max: 366 }),
    },
    live: {
      streamTicketTtlS: readInt(env, 'STREAM_TICKET_TTL_S', 300, { min: 1, max: 86400 }),
      streamMaxPerKey: readInt(env, 'STREAM_MAX_PER_KEY', 50, { min: 1 }),
    },
    analytics: {
      cacheTtlS: readInt(env, 'ANALYTICS_CACHE_TTL_S', 3600, { min: 0 }),
      allowedMetrics: readList(env, 'ANALYTICS_ALLOWED_METRICS', DEFAULT_ANALYTICS_METRICS),
      allowedDimensions: readList(
        env,
        'ANALYTICS_ALLOWED_DIMENSIONS',
        DEFAULT_ANALYTICS_DIMENSIONS,
      ),
      maxRangeDays: readInt(env, 'ANALYTICS_MAX_RANGE_DAYS', 366, { min: 1 }),
      maxBuckets: readInt(env, 'ANALYTICS_MAX_BUCKETS', 2000, { min: 1 }),
    },
    status: {
      validPauseReasons: readList(env, 'VALID_PAUSE_REASONS', DEFAULT_PAUSE_REASONS),
      idempotencyTtlS: readInt(env, 'IDEMPOTENCY_TTL_S', 86400, { min: 1 }),
    },
    export: parseExportConfig(env, cxone.dialect),
    webhook: {
      signingSecret: webhookSecret,
      allowedHosts: readList(env, 'WEBHOOK_ALLOWED_HOSTS', []).map((h) => h.toLowerCase()),
      maxAttempts: readInt(env, 'WEBHOOK_MAX_ATTEMPTS', 5, { min: 1, max: 20 }),
    },
    wfm: { webhookUrl: readUrl(env, 'WFM_WEBHOOK_URL') },
    audit: parseAuditConfig(env),
    health: parseHealthConfig(env),
    sandboxEnv: collectSandboxEnv(env),
    secrets: [],
  };
  config.secrets = collectSecrets(config);
  return config;
}

function parseCxone(env: Env): CxoneConfig {
  const dialect = parseDialectSettings(env);
  const baseUrl = readUrl(env, 'CXONE_API_BASE_URL') ?? '';
  const clientId = readString(env, 'CXONE_CLIENT_ID') ?? '';
  const clientSecret = readString(env, 'CXONE_CLIENT_SECRET') ?? '';
  if (baseUrl && !clientId) {
    throw new ConfigError('CXONE_CLIENT_ID', 'is required when CXONE_API_BASE_URL is set');
  }
  if (baseUrl && !clientSecret) {
    throw new ConfigError('CXONE_CLIENT_SECRET', 'is required when CXONE_API_BASE_URL is set');
  }
  const timeoutMs = readInt(env, 'CXONE_TIMEOUT_MS', 10000, { min: 50 });
  return {
    dialect: dialect.dialect,
    baseUrl,
    tokenUrl: readUrl(env, 'CXONE_TOKEN_URL') ?? (baseUrl ? `${baseUrl}/oauth/token` : ''),
    clientId,
    clientSecret,
    tokenAuth: dialect.tokenAuth,
    scopes: readString(env, 'CXONE_SCOPES'),
    timeoutMs,
    deadlineMs: readInt(env, 'CXONE_DEADLINE_MS', Math.max(30000, timeoutMs * 3), { min: 100 }),
    maxAttempts: readInt(env, 'CXONE_MAX_ATTEMPTS', 4, { min: 1, max: 10 }),
    maxRps: readInt(env, 'CXONE_MAX_RPS', undefined, { min: 1 }),
    maxConcurrency: readInt(env, 'CXONE_MAX_CONCURRENCY', undefined, { min: 1 }),
    incontact: dialect.incontact,
  };
}

/** The raw `SANDBOX_*` strings; unset and empty both mean "use the sandbox's default". */
export function collectSandboxEnv(env: Env): Readonly<Record<string, string>> {
  const collected: Record<string, string> = {};
  for (const [name, value] of Object.entries(env))
    if (name.startsWith('SANDBOX_') && value !== undefined && value.trim() !== '')
      collected[name] = value;
  return Object.freeze(collected);
}

function collectSecrets(config: AppConfig): string[] {
  const { clientSecret, incontact } = config.cxone;
  return [clientSecret, incontact.accessKeySecret, config.webhook.signingSecret].filter(
    (s): s is string => typeof s === 'string' && s.length >= 4,
  );
}

/**
 * In sandbox mode the embedded simulator's address and credentials are only known once it has
 * started; this fills them in without mutating the parsed tree.
 */
export function withSandboxUpstream(
  config: AppConfig,
  sandbox: {
    url: string;
    clientId: string;
    clientSecret: string;
    /** The `incontact` surface's access key (its discovery gives the API host). */
    accessKey?: { id: string; secret: string };
  },
): AppConfig {
  const incontact = config.cxone.dialect === 'incontact';
  const cxone: CxoneConfig = {
    ...config.cxone,
    // In incontact the API host comes from the sandbox's own tenant discovery.
    baseUrl: incontact ? '' : sandbox.url,
    tokenUrl: `${sandbox.url}/oauth/token`,
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
    incontact: {
      ...config.cxone.incontact,
      ...(incontact && {
        issuer: sandbox.url,
        accessKeyId: sandbox.accessKey?.id ?? '',
        accessKeySecret: sandbox.accessKey?.secret ?? '',
      }),
    },
  };
  const next = { ...config, cxone };
  next.secrets = collectSecrets(next);
  return next;
}

/** The only reader of process.env in the gateway. */
export function loadConfigFromEnv(): AppConfig {
  return parseConfig(process.env);
}

/** `npm run sandbox` (the simulator alone) reads its variables here too. */
export function loadSandboxEnvFromProcess(): Readonly<Record<string, string>> {
  return collectSandboxEnv(process.env);
}
