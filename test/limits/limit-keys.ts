import { sha256Hex } from '../../src/config/api-keys';
import { API_SCOPES } from '../../src/config/app-config.types';
import type { ApiKeyRateLimit } from '../../src/config/rate-limit-config';

/** A rate-limited test key: its clear text, and the name audit records and 429s carry. */
export interface LimitKey {
  name: string;
  key: string;
}

/**
 * Keys named uniquely per run (`<role>-<pid>-<n>`), so specs sharing the suite's Redis never
 * share a bucket and nothing needs flushing; every key holds every scope.
 */
export function limitKeys<R extends string>(
  roles: Record<R, ApiKeyRateLimit | undefined>,
): { keys: Record<R, LimitKey>; env: string } {
  const stamp = `${process.pid}-${Date.now().toString(36)}`;
  const keys = {} as Record<R, LimitKey>;
  const entries = (Object.keys(roles) as R[]).map((role) => {
    keys[role] = { name: `${role}-${stamp}`, key: `limit-key-${role}-${stamp}` };
    const rateLimit = roles[role];
    return {
      name: keys[role].name,
      sha256: sha256Hex(keys[role].key),
      scopes: API_SCOPES,
      ...(rateLimit ? { rateLimit } : {}),
    };
  });
  return { keys, env: JSON.stringify(entries) };
}

/** The env of a gateway with small limits: 5 requests/s (burst 10), 1 bypass/s (burst 3). */
export const SMALL_LIMITS = {
  RATE_LIMIT_RPS: '5',
  RATE_LIMIT_BURST: '10',
  RATE_LIMIT_BYPASS_RPS: '1',
  RATE_LIMIT_BYPASS_BURST: '3',
};
