/**
 * Small typed readers over a plain env record. Each throws ConfigError naming the variable, so a
 * bad deployment fails at startup with a message that says what to fix.
 */
export type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`Invalid configuration: ${variable} ${reason}`);
    this.name = 'ConfigError';
  }
}

function raw(env: Env, name: string): string | undefined {
  const value = env[name];
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

export function readString(env: Env, name: string): string | undefined;
export function readString(env: Env, name: string, fallback: string): string;
export function readString(env: Env, name: string, fallback?: string): string | undefined {
  return raw(env, name) ?? fallback;
}

export interface IntOptions {
  min?: number;
  max?: number;
}

export function readInt(env: Env, name: string, fallback: number, opts?: IntOptions): number;
export function readInt(
  env: Env,
  name: string,
  fallback: undefined,
  opts?: IntOptions,
): number | undefined;
export function readInt(
  env: Env,
  name: string,
  fallback: number | undefined,
  opts: IntOptions = {},
): number | undefined {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if (!/^-?\d+$/.test(value)) throw new ConfigError(name, `must be an integer, got "${value}"`);
  const n = Number(value);
  if (opts.min !== undefined && n < opts.min) throw new ConfigError(name, `must be ≥ ${opts.min}`);
  if (opts.max !== undefined && n > opts.max) throw new ConfigError(name, `must be ≤ ${opts.max}`);
  return n;
}

export function readEnum<T extends string>(
  env: Env,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${value}"`);
  }
  return value as T;
}

export function readList(env: Env, name: string, fallback: string[]): string[] {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!items.length) throw new ConfigError(name, 'must list at least one value');
  return items;
}

export function readUrl(env: Env, name: string): string | undefined {
  const value = raw(env, name);
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(name, `must be an absolute URL, got "${value}"`);
  }
  if (!['http:', 'https:', 'redis:', 'rediss:'].includes(url.protocol)) {
    throw new ConfigError(name, `has an unsupported scheme "${url.protocol}"`);
  }
  return value.replace(/\/+$/, '');
}
