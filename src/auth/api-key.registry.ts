import { Inject, Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { APP_CONFIG } from '../config/config.constants';
import type { AppConfig } from '../config/app-config.types';
import type { Principal } from './principal';

interface StoredKey {
  digest: Buffer;
  principal: Principal;
}

/** The key that last resolved on a connection, and to whom. */
interface RememberedKey {
  key: Buffer;
  principal: Principal;
}

/**
 * Resolves a presented API key to its principal. Keys are configured as SHA-256 digests only;
 * the presented key is hashed and compared against every entry in constant time, so neither
 * timing nor early exit reveals which (or whether a) key matched.
 */
@Injectable()
export class ApiKeyRegistry {
  private readonly keys: StoredKey[];
  private readonly byConnection = new WeakMap<object, RememberedKey>();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.keys = config.apiKeys.map((k) => ({
      digest: Buffer.from(k.sha256, 'hex'),
      principal: { name: k.name, scopes: Object.freeze([...k.scopes]) },
    }));
  }

  resolve(presentedKey: string): Principal | undefined {
    const digest = createHash('sha256').update(presentedKey).digest();
    let found: Principal | undefined;
    for (const key of this.keys) {
      if (timingSafeEqual(digest, key.digest) && !found) found = key.principal;
    }
    return found;
  }

  /**
   * resolve(), remembering per connection the key that last resolved on it. A keep-alive client
   * (a dashboard, a BI refresh) presents the same key on every request of its connection, and
   * hashing it each time was ≈ 4 % of a cache hit's CPU. Only keys that resolved are remembered
   * (configured keys do not change while the process runs), and the presented key is compared
   * in constant time: behind a reverse proxy one upstream connection carries many clients'
   * requests, and an early-exit comparison would tell a guesser how much of another client's
   * key it had right. An entry goes with its socket.
   */
  resolveOn(connection: object | undefined, presentedKey: string): Principal | undefined {
    if (!connection) return this.resolve(presentedKey);
    const last = this.byConnection.get(connection);
    const presented = Buffer.from(presentedKey);
    if (last && presented.length === last.key.length && timingSafeEqual(presented, last.key)) {
      return last.principal;
    }
    const principal = this.resolve(presentedKey);
    // Copied out of Buffer's shared pool: an entry must not keep 8 KiB of it alive.
    if (principal) this.byConnection.set(connection, { key: unpooled(presented), principal });
    return principal;
  }
}

function unpooled(bytes: Buffer): Buffer {
  const copy = Buffer.alloc(bytes.length);
  bytes.copy(copy);
  return copy;
}

/**
 * Reads the key from `Authorization: Bearer <key>`, `X-API-Key: <key>`, or HTTP Basic with the
 * key as the password (the user name is ignored): the credential dialog Excel and Power BI
 * offer for OData feeds and web sources.
 */
export function extractApiKey(
  headers: Record<string, string | string[] | undefined>,
): string | undefined {
  const apiKey = headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey.length > 0) return apiKey.trim();
  const auth = headers.authorization;
  if (typeof auth === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (match) return match[1];
    const basic = /^Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(auth);
    if (basic) return basicPassword(basic[1]);
  }
  return undefined;
}

/** The password of `user:password` (base64); undefined without a colon or a password. */
function basicPassword(encoded: string): string | undefined {
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const password = colon >= 0 ? decoded.slice(colon + 1) : '';
  return password.length > 0 ? password : undefined;
}

/** The challenge 401 answers carry, so Excel and Power BI ask for credentials (key as password). */
export const AUTH_CHALLENGE = 'Basic realm="CXone Gateway", charset="UTF-8"';
