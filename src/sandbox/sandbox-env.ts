import { parseFaultSpecs } from './faults';
import {
  DataExtractionEnvError,
  parseDataExtractionEnv,
} from './incontact/data-extraction/de-options';
import { checkQuirk, QUIRK_KEYS, QUIRK_SPECS, type IncontactQuirks } from './incontact/quirks';
import {
  DEFAULT_SANDBOX_OPTIONS,
  EXPORT_GZIP_MODES,
  NUMERIC_OPTION_RANGES,
  type ExportGzipMode,
  type SandboxOptions,
} from './sandbox.options';

/** The raw `SANDBOX_*` strings, as the gateway's configuration collected them. */
export type SandboxEnv = Readonly<Record<string, string | undefined>>;

/** A bad `SANDBOX_*` value; the message starts with the variable's name. */
export class SandboxEnvError extends Error {
  constructor(
    readonly variable: string,
    readonly reason: string,
  ) {
    super(`${variable}: ${reason}`);
    this.name = 'SandboxEnvError';
  }
}

/** Option → environment variable. These names are part of the sandbox's documented contract. */
const ENV_NAMES: Record<
  Exclude<keyof SandboxOptions, 'incontactQuirks' | 'dataExtraction'>,
  string
> = {
  port: 'SANDBOX_PORT',
  host: 'SANDBOX_HOST',
  seed: 'SANDBOX_SEED',
  clientId: 'SANDBOX_CLIENT_ID',
  clientSecret: 'SANDBOX_CLIENT_SECRET',
  accessKeyId: 'SANDBOX_ACCESS_KEY_ID',
  accessKeySecret: 'SANDBOX_ACCESS_KEY_SECRET',
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

type OptionKey = keyof typeof ENV_NAMES;

function fail(key: OptionKey, why: string): never {
  throw new SandboxEnvError(ENV_NAMES[key], why);
}

/** Unset and empty both mean "use the default", so `SANDBOX_X=` in a .env file is harmless. */
function raw(env: SandboxEnv, key: OptionKey): string | undefined {
  const value = env[ENV_NAMES[key]]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function integer(env: SandboxEnv, key: keyof typeof NUMERIC_OPTION_RANGES): number {
  const text = raw(env, key);
  if (text === undefined) return DEFAULT_SANDBOX_OPTIONS[key];
  const [min, max] = NUMERIC_OPTION_RANGES[key];
  if (!/^-?\d+$/.test(text)) fail(key, `"${text}" is not an integer`);
  const value = Number(text);
  if (value < min || value > max) fail(key, `${value} is outside ${min}..${max}`);
  return value;
}

function text(
  env: SandboxEnv,
  key: 'host' | 'clientId' | 'clientSecret' | 'accessKeyId' | 'accessKeySecret',
): string {
  return raw(env, key) ?? DEFAULT_SANDBOX_OPTIONS[key];
}

function oneOf<T extends string>(
  env: SandboxEnv,
  key: OptionKey,
  allowed: readonly T[],
  fallback: T,
): T {
  const value = raw(env, key);
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) fail(key, `"${value}" is not one of ${allowed.join(', ')}`);
  return value as T;
}

function flag(env: SandboxEnv, key: 'exportPrerender'): boolean {
  return oneOf(env, key, ['true', 'false'], String(DEFAULT_SANDBOX_OPTIONS[key])) === 'true';
}

function faults(env: SandboxEnv): SandboxOptions['faults'] {
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

/** The Data Extraction simulator's `SANDBOX_DE_*` variables. */
function dataExtraction(env: SandboxEnv): SandboxOptions['dataExtraction'] {
  try {
    return parseDataExtractionEnv(env);
  } catch (err) {
    if (err instanceof DataExtractionEnvError) throw new SandboxEnvError(err.variable, err.reason);
    throw err;
  }
}

/** Every inContact quirk from its own `SANDBOX_*` variable (see QUIRK_SPECS). */
function quirks(env: SandboxEnv): IncontactQuirks {
  const parsed: Record<string, unknown> = { ...DEFAULT_SANDBOX_OPTIONS.incontactQuirks };
  for (const key of QUIRK_KEYS) {
    const name = QUIRK_SPECS[key].env;
    const value = env[name]?.trim();
    if (value === undefined || value === '') continue;
    const check = checkQuirk(key, value, true);
    if (!check.ok) throw new SandboxEnvError(name, check.why);
    parsed[key] = check.value;
  }
  return parsed as unknown as IncontactQuirks;
}

/**
 * Turns the raw `SANDBOX_*` strings into options. Unset or empty variables take
 * DEFAULT_SANDBOX_OPTIONS; a bad value throws SandboxEnvError naming the variable.
 */
export function parseSandboxEnv(env: SandboxEnv): SandboxOptions {
  return {
    port: integer(env, 'port'),
    host: text(env, 'host'),
    seed: integer(env, 'seed'),
    clientId: text(env, 'clientId'),
    clientSecret: text(env, 'clientSecret'),
    accessKeyId: text(env, 'accessKeyId'),
    accessKeySecret: text(env, 'accessKeySecret'),
    tokenTtlS: integer(env, 'tokenTtlS'),
    latencyMs: integer(env, 'latencyMs'),
    historyRecords: integer(env, 'historyRecords'),
    exportEventsPerDay: integer(env, 'exportEventsPerDay'),
    exportQueuedMs: integer(env, 'exportQueuedMs'),
    exportRunningMs: integer(env, 'exportRunningMs'),
    exportGzipMode: oneOf<ExportGzipMode>(
      env,
      'exportGzipMode',
      EXPORT_GZIP_MODES,
      DEFAULT_SANDBOX_OPTIONS.exportGzipMode,
    ),
    exportPrerender: flag(env, 'exportPrerender'),
    analyticsPageSize: integer(env, 'analyticsPageSize'),
    faults: faults(env),
    incontactQuirks: quirks(env),
    dataExtraction: dataExtraction(env),
  };
}
