import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Clock } from '../../../common/clock/clock';
import { RedisService } from '../../../common/redis/redis.service';
import { APP_CONFIG } from '../../../config/config.constants';
import type { AppConfig } from '../../../config/app-config.types';

/** The Data Extraction calls the gateway makes. */
export type DeCallKind = 'create' | 'list' | 'get';

/**
 * The documented limit is one call per 30 s per tenant; a second more keeps clock skew and
 * network time on our side of it (a public client waits 31 s for the same reason).
 */
export const DE_CALL_INTERVAL_MS = 31_000;
/** How long the shared pacing state outlives the last call (it only matters for 31 s). */
const STATE_TTL_MS = 3_600_000;

interface PacingState {
  lastCreateAt: number;
  lastCallAt: number;
  /** Every call waits until then after a throttle answer. */
  throttledUntil: number;
  /** Learned from a throttle answer: this tenant counts every call, not only creates. */
  allCalls: boolean;
}

const EMPTY: PacingState = { lastCreateAt: 0, lastCallAt: 0, throttledUntil: 0, allCalls: false };

/**
 * Spaces the tenant's Data Extraction calls, on every replica (the state lives in Redis when it
 * is configured, in this process otherwise; a Redis failure falls back to the local copy).
 * Creates go out at least 31 s apart. Polls go out freely, the working clients' reading of the
 * limit, until the tenant throttles one: from then on every call is spaced 31 s. A throttle
 * answer to any call makes every call wait 31 s from then. All waits are on the injected clock.
 */
@Injectable()
export class DataExtractionPacer {
  private readonly logger = new Logger('DataExtractionPacer');
  private readonly key: string;
  private local: PacingState = { ...EMPTY };
  /** The create before the one now in flight, to tell why a create was throttled. */
  private previousCreateAt = 0;
  private redisFailureLogged = false;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly clock: Clock,
    private readonly redis: RedisService,
  ) {
    // One gateway speaks for one tenant: its credentials name it without waiting for a token.
    const { issuer, accessKeyId } = config.cxone.incontact;
    const tenant = createHash('sha256').update(`${issuer}\n${accessKeyId}`).digest('hex');
    this.key = `cxgw:incontact:data-extraction:${tenant.slice(0, 24)}`;
  }

  /** Waits (on the clock) until a call of `kind` may go out, then records it as sent. */
  async beforeCall(kind: DeCallKind, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const state = await this.read();
      const wait = this.notBefore(kind, state) - this.clock.now();
      if (wait <= 0) {
        if (kind === 'create') this.previousCreateAt = state.lastCreateAt;
        break;
      }
      await this.clock.sleep(wait, signal);
    }
    const now = this.clock.now();
    await this.write({ lastCallAt: now, ...(kind === 'create' ? { lastCreateAt: now } : {}) });
  }

  /** Records a throttle answer (403 or 429) to a call of `kind`. */
  async throttled(kind: DeCallKind): Promise<void> {
    const state = await this.read();
    const now = this.clock.now();
    // A throttled poll, or a throttled create that respected the create spacing, means the
    // tenant counts every call.
    const allCalls =
      state.allCalls || kind !== 'create' || now - this.previousCreateAt >= DE_CALL_INTERVAL_MS;
    if (allCalls && !state.allCalls)
      this.logger.warn(
        'Data Extraction throttled a call that was not a create: spacing every call 31 s',
      );
    await this.write({ throttledUntil: now + DE_CALL_INTERVAL_MS, allCalls });
  }

  private notBefore(kind: DeCallKind, state: PacingState): number {
    let at = state.throttledUntil;
    if (kind === 'create') at = Math.max(at, state.lastCreateAt + DE_CALL_INTERVAL_MS);
    if (state.allCalls) at = Math.max(at, state.lastCallAt + DE_CALL_INTERVAL_MS);
    return at;
  }

  private async read(): Promise<PacingState> {
    const client = this.redis.client;
    if (!client) return this.local;
    try {
      const raw = await client.hgetall(this.key);
      const shared: PacingState = {
        lastCreateAt: Number(raw.lastCreateAt ?? 0),
        lastCallAt: Number(raw.lastCallAt ?? 0),
        throttledUntil: Number(raw.throttledUntil ?? 0),
        allCalls: raw.allCalls === '1',
      };
      // Never wait less than this process knows it must.
      return {
        lastCreateAt: Math.max(shared.lastCreateAt, this.local.lastCreateAt),
        lastCallAt: Math.max(shared.lastCallAt, this.local.lastCallAt),
        throttledUntil: Math.max(shared.throttledUntil, this.local.throttledUntil),
        allCalls: shared.allCalls || this.local.allCalls,
      };
    } catch (err) {
      this.logRedisFailure(err);
      return this.local;
    }
  }

  private async write(patch: Partial<PacingState>): Promise<void> {
    this.local = { ...this.local, ...patch };
    const client = this.redis.client;
    if (!client) return;
    const fields: Record<string, string> = {};
    for (const [name, value] of Object.entries(patch))
      fields[name] = typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
    try {
      await client.multi().hset(this.key, fields).pexpire(this.key, STATE_TTL_MS).exec();
    } catch (err) {
      this.logRedisFailure(err);
    }
  }

  private logRedisFailure(err: unknown): void {
    if (this.redisFailureLogged) return;
    this.redisFailureLogged = true;
    this.logger.warn(
      `Redis unavailable for Data Extraction pacing (${(err as Error).message}); pacing in this process only`,
    );
  }
}
