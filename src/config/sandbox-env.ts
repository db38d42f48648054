import { parseFaultSpecs } from '../sandbox/faults';
import {
  DEFAULT_SANDBOX_OPTIONS,
  EXPORT_GZIP_MODES,
  NUMERIC_OPTION_RANGES,
  type ExportGzipMode,
  type SandboxOptions,
} from '../sandbox/sandbox.options';

type Env = Record<string, string | undefined>;

/** Option → environment variable. The names are the contract of DESIGN §5b. */
const ENV_NAMES: Record<keyof SandboxOptions, string> = {
  port: 'SANDBOX_PORT',
  host: 'SANDBOX_HOST',
  seed: 'SANDBOX_SEED',
  clientId: 'SANDBOX_CLIENT_ID',
  clientSecret: 'SANDBOX_CLIENT_SECRET',
  tokenTtlS: 'SANDBOX_TOKEN_TTL_S',
  latencyMs: 'SANDBOX_LATENCY_MS',
  historyRecords: 'SANDBOX_HISTORY_RECORDS',
  exportEventsPerDay: 'SANDBOX_EXPORT_EVENTS_PER_DAY',
  exportQueuedMs: 'SANDBOX_EXPORT_QUEUED_MS',
  exportRunningMs: 'SANDBOX_EXPORT_RUNNING_MS',
  exportGzipMode: 'SANDBOX_EXPORT_GZIP_MODE',
  exportPrerender: 'SANDBOX_EXPORT_PRERENDER',
  analyticsPageSize: 'SANDBOX_ANALYTICS_PAGE_SIZE',
  faults: 'SANDBOX_FAULTS',
};

function fail(key: keyof SandboxOptions, why: string): never {
  throw new Error(`${ENV_NAMES[key]}: ${why}`);
}

/** Unset and empty both mean "use the default", so `SANDBOX_X=` in a .env file is harmless. */
function raw(env: Env, key: keyof SandboxOptions): string | undefined {
  const value = env[ENV_NAMES[key]]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function integer(env: Env, key: keyof typeof NUMERIC_OPTION_RANGES): number {
  const text = raw(env, key);
  if (text === undefined) return DEFAULT_SANDBOX_OPTIONS[key];
  const [min, max] = NUMERIC_OPTION_RANGES[key];
  if (!/^-?\d+$/.test(text)) fail(key, `"${text}" is not an integer`);
  const value = Number(text);
  if (value < min || value > max) fail(key, `${value} is outside ${min}..${max}`);
  return value;
}

function text(env: Env, key: 'host' | 'clientId' | 'clientSecret'): string {
  return raw(env, key) ?? DEFAULT_SANDBOX_OPTIONS[key];
}

function gzipMode(env: Env): ExportGzipMode {
  const value = raw(env, 'exportGzipMode');
  if (value === undefined) return DEFAULT_SANDBOX_OPTIONS.exportGzipMode;
  if (!EXPORT_GZIP_MODES.includes(value as ExportGzipMode))
    fail('exportGzipMode', `"${value}" is not one of ${EXPORT_GZIP_MODES.join(', ')}`);
  return value as ExportGzipMode;
}

function flag(env: Env, key: 'exportPrerender'): boolean {
  const value = raw(env, key);
  if (value === undefined) return DEFAULT_SANDBOX_OPTIONS[key];
  if (value !== 'true' && value !== 'false') fail(key, `"${value}" is not one of true, false`);
  return value === 'true';
}

function faults(env: Env): SandboxOptions['faults'] {
  const value = raw(env, 'faults');
  if (value === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    fail('faults', 'is not valid JSON');
  }
  const result = parseFaultSpecs(parsed);
  if (!result.ok) fail('faults', result.message);
  return result.faults;
}

/**
 * The only reader of `SANDBOX_*`. Unset or empty variables take DEFAULT_SANDBOX_OPTIONS; a bad
 * value throws `Error('SANDBOX_X: <why>')` naming the variable.
 */
export function parseSandboxEnv(env: Env): SandboxOptions {
  return {
    port: integer(env, 'port'),
    host: text(env, 'host'),
    seed: integer(env, 'seed'),
    clientId: text(env, 'clientId'),
    clientSecret: text(env, 'clientSecret'),
    tokenTtlS: integer(env, 'tokenTtlS'),
    latencyMs: integer(env, 'latencyMs'),
    historyRecords: integer(env, 'historyRecords'),
    exportEventsPerDay: integer(env, 'exportEventsPerDay'),
    exportQueuedMs: integer(env, 'exportQueuedMs'),
    exportRunningMs: integer(env, 'exportRunningMs'),
    exportGzipMode: gzipMode(env),
    exportPrerender: flag(env, 'exportPrerender'),
    analyticsPageSize: integer(env, 'analyticsPageSize'),
    faults: faults(env),
  };
}

export function loadSandboxOptionsFromEnv(): SandboxOptions {
  return parseSandboxEnv(process.env);
}
