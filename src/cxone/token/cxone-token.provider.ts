import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error';
import { Clock } from '../../common/clock/clock';
import { RedisLock } from '../../common/concurrency/redis-lock';
import { RedisService } from '../../common/redis/redis.service';
import { APP_CONFIG } from '../../config/config.constants';
import type { AppConfig, CxoneConfig } from '../../config/app-config.types';
import { MetricsService } from '../../observability/metrics.service';
import { CxoneHttp } from '../cxone-http';
import { GrantTransport } from './grant-transport';
import { TOKEN_GRANT, type TokenGrant } from './token-grant';

/** Redis key prefix of the token shared by all replicas (one per grant), and of its lock. */
export const SHARED_TOKEN_KEY = 'cxgw:cxone:token';

/**
 * The shared-token and lock keys of a grant and the credentials it runs with. Two dialects,
 * two tenants, or the same tenant after an access-key rotation, on one Redis, never adopt each
 * other's token (with it a gateway would serve another tenant's data). The naming fields are
 * hashed: none is a secret, but they need not be readable in a key listing either.
 */
export function sharedTokenKeys(
  grantName: string,
  cxone: Pick<CxoneConfig, 'tokenUrl' | 'clientId' | 'baseUrl' | 'incontact'>,
): { token: string; lock: string } {
  const names = [
    cxone.tokenUrl,
    cxone.clientId,
    cxone.baseUrl,
    cxone.incontact.issuer,
    cxone.incontact.accessKeyId,
  ];
  const credentials = createHash('sha256').update(names.join('\n')).digest('hex').slice(0, 24);
  const token = `${SHARED_TOKEN_KEY}:${grantName}:${credentials}`;
  return { token, lock: `${token}:lock` };
}

/** Tunables; production uses the defaults, tests shorten them. */
export interface TokenProviderOptions {
  /** How long other replicas wait for the lock holder's token before fetching their own. */
  sharedWaitMs: number;
  sharedPollMs: number;
  /** After CXone rejects the credentials, fail fast for this long instead of asking again. */
  authFailureCooldownMs: number;
}
export const TOKEN_PROVIDER_OPTIONS = Symbol('TOKEN_PROVIDER_OPTIONS');
const DEFAULT_OPTIONS: TokenProviderOptions = {
  sharedWaitMs: 3000,
  sharedPollMs: 100,
  authFailureCooldownMs: 5000,
};

/** Token state for the status endpoint; never the token itself. */
export interface TokenStatus {
  valid: boolean;
  expiresInS: number | null;
  lastRefreshAt: string | null;
  lastError: { at: string; message: string; correlationId?: string } | null;
}

interface CachedToken {
  token: string;
  issuedAt: number;
  expiresAt: number;
  apiBaseUrl?: string;
  tenantId?: string;
}

/**
 * CXone access tokens from the dialect's grant: cached, replaced early (the grant's margin, at
 * most 10 % of the lifetime), single-flight (N concurrent callers make one grant), and shared
 * across replicas through Redis when it is configured, so one replica grants while the others
 * wait for its token. Redis trouble never fails a call: the provider then acts as one process.
 */
@Injectable()
export class CxoneTokenProvider {
  private readonly logger = new Logger('CxoneToken');
  private readonly options: TokenProviderOptions;
  /** Made on first use: in sandbox mode the API host is filled in after construction. */
  private sharedKeys: { token: string; lock: string } | undefined;
  private readonly transport: GrantTransport;
  private current: CachedToken | undefined;
  private inflight: Promise<CachedToken> | undefined;
  /** The last token CXone refused; never adopted again from Redis. */
  private rejected: string | undefined;
  /** The API host of the newest token, kept while a replacement is being granted. */
  private lastApiBaseUrl: string | undefined;
  private lastRefreshAt: number | undefined;
  private lastError: { at: number; message: string; correlationId?: string } | undefined;
  private authFailure: { until: number; error: AppError } | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly redis: RedisService,
    http: CxoneHttp,
    metrics: MetricsService,
    @Inject(TOKEN_GRANT) private readonly grant: TokenGrant,
    @Optional() @Inject(TOKEN_PROVIDER_OPTIONS) options?: Partial<TokenProviderOptions>,
  ) {
    this.options = { ...DEFAULT_OPTIONS, ...options };
    this.transport = new GrantTransport(http, clock, metrics, config.cxone.timeoutMs);
  }

  private get keys(): { token: string; lock: string } {
    this.sharedKeys ??= sharedTokenKeys(this.grant.name, this.config.cxone);
    return this.sharedKeys;
  }

  /** A bearer token valid for at least the early-refresh margin (or still valid if refresh fails). */
  async getToken(): Promise<string> {
    const cached = this.current;
    if (cached && this.clock.now() < this.refreshAt(cached)) return cached.token;
    try {
      return (await this.refreshOnce()).token;
    } catch (err) {
      // A refresh that fails early must not break calls while the old token still works.
      if (cached && cached === this.current && this.clock.now() < cached.expiresAt) {
        return cached.token;
      }
      throw err;
    }
  }

  /**
   * Where API calls go: the host the grant discovered with the token (incontact), else the
   * configured CXONE_API_BASE_URL.
   */
  apiBaseUrl(): string {
    return this.current?.apiBaseUrl ?? this.lastApiBaseUrl ?? this.config.cxone.baseUrl;
  }

  /** Drops `token` after CXone answered 401 to it, unless a newer token already replaced it. */
  invalidate(token: string): void {
    this.rejected = token;
    if (this.current?.token === token) this.current = undefined;
    void this.deleteSharedIf(token);
  }

  status(): TokenStatus {
    const now = this.clock.now();
    const cached = this.current;
    const iso = (ms: number | undefined): string | null =>
      ms === undefined ? null : new Date(ms).toISOString();
    return {
      valid: cached !== undefined && now < cached.expiresAt,
      expiresInS: cached ? Math.max(0, Math.floor((cached.expiresAt - now) / 1000)) : null,
      lastRefreshAt: iso(this.lastRefreshAt),
      lastError: this.lastError ? { ...this.lastError, at: iso(this.lastError.at) ?? '' } : null,
    };
  }

  /** When to replace a token: the grant's margin before expiry, at most 10 % of its lifetime. */
  refreshAt(token: { issuedAt: number; expiresAt: number }): number {
    return refreshAt(token, this.grant.refreshMarginMs);
  }

  private refreshOnce(): Promise<CachedToken> {
    this.inflight ??= this.refresh().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async refresh(): Promise<CachedToken> {
    if (this.authFailure && this.clock.now() < this.authFailure.until) throw this.authFailure.error;
    const shared = await this.readShared();
    if (shared) return this.adopt(shared);
    return this.withGrantLock(async (peerIsGranting) => {
      if (peerIsGranting) {
        const waited = await this.waitForShared();
        if (waited) return this.adopt(waited);
      }
      const fresh = this.adopt(await this.requestGrant());
      await this.writeShared(fresh);
      return fresh;
    });
  }

  private adopt(token: CachedToken): CachedToken {
    this.current = token;
    if (token.apiBaseUrl) this.lastApiBaseUrl = token.apiBaseUrl;
    this.lastRefreshAt = this.clock.now();
    return token;
  }

  private async requestGrant(): Promise<CachedToken> {
    try {
      const granted = await this.grant.request(this.transport);
      const now = this.clock.now();
      this.lastError = undefined;
      this.authFailure = undefined;
      return {
        token: granted.accessToken,
        issuedAt: now,
        expiresAt: now + granted.expiresInS * 1000,
        apiBaseUrl: granted.apiBaseUrl,
        tenantId: granted.tenantId,
      };
    } catch (err) {
      const error =
        err instanceof AppError
          ? err
          : new AppError('UPSTREAM_ERROR', `CXone ${this.grant.name} token grant failed`);
      if (error.code === 'UPSTREAM_AUTH_FAILED') {
        this.authFailure = { until: this.clock.now() + this.options.authFailureCooldownMs, error };
      }
      const correlationId = (error.extensions?.upstream as { correlationId?: string } | undefined)
        ?.correlationId;
      this.lastError = {
        at: this.clock.now(),
        message: error.message,
        ...(correlationId !== undefined && { correlationId }),
      };
      const traced = correlationId ? ` (CorrelationId ${correlationId})` : '';
      this.logger.warn(`Token request failed: ${error.message}${traced}`);
      throw error;
    }
  }

  // ---- Redis sharing (every failure falls back to local behaviour) -----------------------

  /**
   * The one use of the cross-replica grant lock: runs `work` holding it, telling it whether a
   * peer holds it instead (then `work` waits for that peer's token first). Without Redis, or
   * when Redis fails, `work` runs as if alone.
   */
  private async withGrantLock<T>(work: (peerIsGranting: boolean) => Promise<T>): Promise<T> {
    // A grant may take discovery + token + tenant discovery: room for three calls.
    const ttl = this.config.cxone.timeoutMs * 3 + 1000;
    // null: a peer holds the lock; undefined: no Redis (or it failed), so run as if alone.
    const held = await this.redisCall(
      async (r) => (await new RedisLock(r, this.keys.lock, ttl).tryAcquire()) ?? null,
    );
    try {
      return await work(held === null);
    } finally {
      if (held) await this.redisCall(() => held.release());
    }
  }

  private async readShared(): Promise<CachedToken | undefined> {
    const raw = await this.redisCall((r) => r.get(this.keys.token));
    const token = typeof raw === 'string' ? parseShared(raw) : undefined;
    if (!token || token.token === this.rejected) return undefined;
    return this.clock.now() < this.refreshAt(token) ? token : undefined;
  }

  private async writeShared(token: CachedToken): Promise<void> {
    const ttl = token.expiresAt - this.clock.now();
    if (ttl <= 0) return;
    await this.redisCall((r) => r.set(this.keys.token, JSON.stringify(token), 'PX', ttl));
  }

  private async deleteSharedIf(token: string): Promise<void> {
    const raw = await this.redisCall((r) => r.get(this.keys.token));
    if (typeof raw === 'string' && parseShared(raw)?.token === token) {
      await this.redisCall((r) => r.del(this.keys.token));
    }
  }

  /** Another replica holds the lock: wait briefly for its token instead of asking CXone too. */
  private async waitForShared(): Promise<CachedToken | undefined> {
    const until = this.clock.now() + this.options.sharedWaitMs;
    while (this.clock.now() < until) {
      await this.clock.sleep(this.options.sharedPollMs);
      const shared = await this.readShared();
      if (shared) return shared;
    }
    return undefined;
  }

  private async redisCall<T>(
    fn: (client: NonNullable<RedisService['client']>) => Promise<T>,
  ): Promise<T | undefined> {
    const client = this.redis.client;
    if (!client) return undefined;
    try {
      return await fn(client);
    } catch (err) {
      this.logger.debug(`Redis unavailable for the shared token: ${(err as Error).message}`);
      return undefined;
    }
  }
}

/** When to refresh: `marginMs` before expiry, or 10 % of the lifetime before it when shorter. */
export function refreshAt(
  token: { issuedAt: number; expiresAt: number },
  marginMs: number,
): number {
  const lifetime = Math.max(0, token.expiresAt - token.issuedAt);
  return token.expiresAt - Math.min(marginMs, lifetime * 0.1);
}

function parseShared(raw: string): CachedToken | undefined {
  try {
    const value = JSON.parse(raw) as Partial<CachedToken>;
    const optionalText = (v: unknown): boolean => v === undefined || typeof v === 'string';
    const ok =
      typeof value.token === 'string' &&
      typeof value.issuedAt === 'number' &&
      typeof value.expiresAt === 'number' &&
      optionalText(value.apiBaseUrl) &&
      optionalText(value.tenantId);
    return ok ? (value as CachedToken) : undefined;
  } catch {
    return undefined;
  }
}
