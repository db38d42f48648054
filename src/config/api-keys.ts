import { createHash } from 'node:crypto';
import { API_SCOPES, ApiKeyEntry, ApiScope } from './app-config.types';
import { ConfigError } from './env-parsers';
import { parseApiKeyRateLimit } from './rate-limit-config';

/** The demo key that holds every scope in sandbox mode when no API_KEYS are configured. */
export const SANDBOX_DEMO_KEY = 'sandbox-demo-key';

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/**
 * Parses API_KEYS: a JSON array of {name, sha256, scopes, rateLimit?}. Every problem names its
 * entry.
 */
export function parseApiKeys(value: string): ApiKeyEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new ConfigError('API_KEYS', 'must be a JSON array of {name, sha256, scopes}');
  }
  if (!Array.isArray(parsed)) throw new ConfigError('API_KEYS', 'must be a JSON array');
  const names = new Set<string>();
  return parsed.map((entry: unknown, i) => {
    const e = entry as Partial<Record<keyof ApiKeyEntry, unknown>> | null;
    const where = `entry ${i}`;
    if (!e || typeof e !== 'object') throw new ConfigError('API_KEYS', `${where} is not an object`);
    if (typeof e.name !== 'string' || !/^[\w.-]{1,64}$/.test(e.name)) {
      throw new ConfigError('API_KEYS', `${where}: name must be 1-64 chars of [A-Za-z0-9_.-]`);
    }
    if (names.has(e.name)) throw new ConfigError('API_KEYS', `${where}: duplicate name ${e.name}`);
    names.add(e.name);
    if (typeof e.sha256 !== 'string' || !/^[0-9a-fA-F]{64}$/.test(e.sha256)) {
      throw new ConfigError('API_KEYS', `${where} (${e.name}): sha256 must be 64 hex characters`);
    }
    if (!Array.isArray(e.scopes) || !e.scopes.every((s) => API_SCOPES.includes(s as ApiScope))) {
      throw new ConfigError(
        'API_KEYS',
        `${where} (${e.name}): scopes must be a list drawn from ${API_SCOPES.join(' ')}`,
      );
    }
    const rateLimit = parseApiKeyRateLimit(e.rateLimit, `${where} (${e.name})`);
    return {
      name: e.name,
      sha256: e.sha256.toLowerCase(),
      scopes: e.scopes as ApiScope[],
      ...(rateLimit ? { rateLimit } : {}),
    };
  });
}

export function demoKeyEntry(): ApiKeyEntry {
  return { name: 'sandbox-demo', sha256: sha256Hex(SANDBOX_DEMO_KEY), scopes: [...API_SCOPES] };
}
