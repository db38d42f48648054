import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppError } from '../common/errors/app-error';
import { Clock } from '../common/clock/clock';
import { RedisService } from '../common/redis/redis.service';
import { APP_CONFIG } from '../config/config.constants';
import type { AppConfig, CxoneConfig } from '../config/app-config.types';
import { CxoneHttp, HttpResult, describeNetworkError } from '../cxone/cxone-http';
import { extractUpstreamMessage } from '../cxone/upstream-error';
import { MetricsService } from '../health/metrics.service';
import { createRedactor } from '../logging/redact';

/** Redis key of the token shared by all replicas, and of the lock taken to refresh it. */
export const SHARED_TOKEN_KEY = 'cxgw:cxone:token';
export const SHARED_TOKEN_LOCK_KEY = 'cxgw:cxone:token:lock';

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
  lastError: { at: string; message: string } | null;
}

interface CachedToken {
  token: string;
  issuedAt: number;
  expiresAt: number;
}

/**
 * CXone client-credentials tokens: cached, refreshed early (60 s before expiry, or 10 % of the
 * lifetime when that is shorter), single-flight (N concurrent callers make one token request),
 * and shared across replicas through Redis when it is configured. Redis trouble never fails a
 * call: the provider then behaves as a single process.
 */
@Injectable()
export class CxoneTokenProvider {
  private readonly logger = new Logger('CxoneToken');
  private readonly options: TokenProviderOptions;
  private current: CachedToken | undefined;
  private inflight: Promise<CachedToken> | undefined;
  /** The last token CXone refused; never adopted again from Redis. */
  private rejected: string | undefined;
  private lastRefreshAt: number | undefined;
  private lastError: { at: number; message: string } | undefined;
  private authFailure: { until: number; error: AppError } | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly redis: RedisService,
    private readonly http: CxoneHttp,
    private readonly metrics: MetricsService,
    @Optional() @Inject(TOKEN_PROVIDER_OPTIONS) options?: Partial<TokenProviderOptions>,
  ) {
    this.options = { ...DEFAULT_OPTIONS, ...options };
  }

  /** A bearer token valid for at least the early-refresh margin (or still valid if refresh fails). */
  async getToken(): Promise<string> {
    const cached = this.current;
    if (cached && this.clock.now() < refreshAt(cached)) return cached.token;
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
      lastError: this.lastError
        ? { at: iso(this.lastError.at) ?? '', message: this.lastError.message }
        : null,
    };
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
    const lockId = randomUUID();
    const lock = await this.tryLock(lockId);
    if (lock === 'busy') {
      const waited = await this.waitForShared();
      if (waited) return this.adopt(waited);
    }
    try {
      const fresh = this.adopt(await this.fetchToken());
      await this.writeShared(fresh);
      return fresh;
    } finally {
      if (lock === 'acquired') await this.unlock(lockId);
    }
  }

  private adopt(token: CachedToken): CachedToken {
    this.current = token;
    this.lastRefreshAt = this.clock.now();
    return token;
  }

  // ---- CXone token endpoint -------------------------------------------------------------

  private async fetchToken(): Promise<CachedToken> {
    const cfg = this.config.cxone;
    const started = this.clock.now();
    let res: HttpResult;
    try {
      res = await this.http.send({
        method: 'POST',
        url: cfg.tokenUrl,
        data: tokenForm(cfg).toString(),
        headers: tokenHeaders(cfg),
        signal: AbortSignal.timeout(cfg.timeoutMs),
      });
    } catch (err) {
      const timedOut = (err as Error).name === 'CanceledError';
      this.observe(started, timedOut ? 'timeout' : 'network');
      const reason = timedOut ? `no answer within ${cfg.timeoutMs} ms` : describeNetworkError(err);
      // The axios error is not kept as `cause`: its config carries the client secret.
      throw this.fail(
        new AppError('UPSTREAM_UNAVAILABLE', `CXone token endpoint is unreachable (${reason})`),
      );
    }
    this.observe(started, outcomeOf(res.status));
    return this.readTokenResponse(res);
  }

  private readTokenResponse(res: HttpResult): CachedToken {
    if (res.status >= 200 && res.status < 300) {
      const parsed = parseTokenBody(res.body, this.clock.now());
      if (parsed) {
        this.lastError = undefined;
        this.authFailure = undefined;
        return parsed;
      }
      throw this.fail(
        new AppError('UPSTREAM_ERROR', 'unexpected response shape from CXone for token'),
      );
    }
    const said = extractUpstreamMessage(res.body, createRedactor(this.config.secrets));
    const upstream = { status: res.status, message: said };
    const detail = `(HTTP ${res.status}${said ? `: ${said}` : ''})`;
    if (res.status === 400 || res.status === 401 || res.status === 403) {
      const error = new AppError(
        'UPSTREAM_AUTH_FAILED',
        `CXone rejected the client credentials ${detail}`,
        { extensions: { upstream } },
      );
      this.authFailure = { until: this.clock.now() + this.options.authFailureCooldownMs, error };
      throw this.fail(error);
    }
    const transient = res.status === 429 || res.status >= 500;
    throw this.fail(
      new AppError(
        transient ? 'UPSTREAM_UNAVAILABLE' : 'UPSTREAM_ERROR',
        `CXone token endpoint failed ${detail}`,
        { extensions: { upstream } },
      ),
    );
  }

  private fail(error: AppError): AppError {
    this.lastError = { at: this.clock.now(), message: error.message };
    this.logger.warn(`Token request failed: ${error.message}`);
    return error;
  }

  private observe(startedMs: number, outcome: string): void {
    this.metrics.upstreamCalls.inc({ operation: 'token', outcome });
    this.metrics.upstreamDuration.observe(
      { operation: 'token' },
      (this.clock.now() - startedMs) / 1000,
    );
  }

  // ---- Redis sharing (every failure falls back to local behaviour) -----------------------

  private async readShared(): Promise<CachedToken | undefined> {
    const raw = await this.redisCall((r) => r.get(SHARED_TOKEN_KEY));
    const token = typeof raw === 'string' ? parseShared(raw) : undefined;
    if (!token || token.token === this.rejected) return undefined;
    return this.clock.now() < refreshAt(token) ? token : undefined;
  }

  private async writeShared(token: CachedToken): Promise<void> {
    const ttl = token.expiresAt - this.clock.now();
    if (ttl <= 0) return;
    await this.redisCall((r) => r.set(SHARED_TOKEN_KEY, JSON.stringify(token), 'PX', ttl));
  }

  private async deleteSharedIf(token: string): Promise<void> {
    const raw = await this.redisCall((r) => r.get(SHARED_TOKEN_KEY));
    if (typeof raw === 'string' && parseShared(raw)?.token === token) {
      await this.redisCall((r) => r.del(SHARED_TOKEN_KEY));
    }
  }

  private async tryLock(id: string): Promise<'acquired' | 'busy' | 'none'> {
    const ttl = this.config.cxone.timeoutMs + 1000;
    const ok = await this.redisCall((r) => r.set(SHARED_TOKEN_LOCK_KEY, id, 'PX', ttl, 'NX'));
    if (ok === undefined) return 'none';
    return ok === 'OK' ? 'acquired' : 'busy';
  }

  private async unlock(id: string): Promise<void> {
    // Delete only our own lock: it may have expired and been taken by another replica.
    const script =
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";
    await this.redisCall((r) => r.eval(script, 1, SHARED_TOKEN_LOCK_KEY, id));
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

/** When to refresh: 60 s before expiry, or 10 % of the lifetime before it when that is shorter. */
export function refreshAt(token: { issuedAt: number; expiresAt: number }): number {
  const lifetime = Math.max(0, token.expiresAt - token.issuedAt);
  return token.expiresAt - Math.min(60_000, lifetime * 0.1);
}

function tokenForm(cfg: CxoneConfig): URLSearchParams {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (cfg.tokenAuth === 'body') {
    form.set('client_id', cfg.clientId);
    form.set('client_secret', cfg.clientSecret);
  }
  if (cfg.scopes) form.set('scope', cfg.scopes);
  return form;
}

function tokenHeaders(cfg: CxoneConfig): Record<string, string> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Content-Type': 'application/x-www-form-urlencoded',
  };
  if (cfg.tokenAuth === 'basic') {
    // As the seeds' `requests` auth=(id, secret) does: base64 of "id:secret".
    const basic = Buffer.from(`${cfg.clientId}:${cfg.clientSecret}`).toString('base64');
    headers.Authorization = `Basic ${basic}`;
  }
  return headers;
}

function parseTokenBody(body: unknown, nowMs: number): CachedToken | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const record = body as Record<string, unknown>;
  const token = record.access_token;
  if (typeof token !== 'string' || token === '') return undefined;
  // expires_in is optional in RFC 6749; seed 001 says CXone tokens typically live 3600 s.
  const expiresIn = record.expires_in === undefined ? 3600 : Number(record.expires_in);
  if (!Number.isFinite(expiresIn) || expiresIn <= 0) return undefined;
  return { token, issuedAt: nowMs, expiresAt: nowMs + expiresIn * 1000 };
}

function parseShared(raw: string): CachedToken | undefined {
  try {
    const value = JSON.parse(raw) as Partial<CachedToken>;
    const ok =
      typeof value.token === 'string' &&
      typeof value.issuedAt === 'number' &&
      typeof value.expiresAt === 'number';
    return ok ? (value as CachedToken) : undefined;
  } catch {
    return undefined;
  }
}

function outcomeOf(status: number): string {
  if (status >= 200 && status < 300) return 'ok';
  if (status === 429) return 'rate_limited';
  return status >= 500 ? 'http_5xx' : 'http_4xx';
}
