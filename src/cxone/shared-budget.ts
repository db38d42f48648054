import { HOLD_FORWARD_SCRIPT, PUBLISH_LIMIT_SCRIPT } from '../common/concurrency/redis-scripts';
import type { RedisService } from '../common/redis/redis.service';
import type { LimitChange } from './adaptive-limit';
import type { RateChange } from './learned-rate';

/** The budget's state as the replicas share it. */
export interface SharedBudgetState {
  limit: LimitChange | null;
  rate: RateChange | null;
  holdUntil: number;
}

const STATE_KEY = 'cxgw:cxone:budget';
const ACCEPTED_KEY_PREFIX = 'cxgw:cxone:accepted:';
const SECOND_KEY_PREFIX = 'cxgw:cxone:rps:';
/** Forgotten after this long without a change: a restarted fleet starts fresh, not stale. */
const STATE_TTL_MS = 10 * 60_000;

/**
 * The upstream budget's Redis side: the limits every replica adopts (so a 429 seen by one slows
 * all), the Retry-After hold, and a per-second count of accepted calls across replicas (what a
 * 429 learns the tenant's rate from). Every call fails open: without Redis, or while it is down,
 * each replica keeps its own state.
 */
export class SharedBudget {
  constructor(private readonly redis: RedisService) {}

  get enabled(): boolean {
    return this.redis.client !== null;
  }

  async publishLimit(change: LimitChange): Promise<void> {
    await this.publish('limit', change.to, change.from, change.at, change.reason);
  }

  async publishRate(change: RateChange): Promise<void> {
    await this.publish('rate', change.to, change.from, change.at, change.reason);
  }

  async publishHold(until: number): Promise<void> {
    await this.redis.client?.eval(
      HOLD_FORWARD_SCRIPT,
      1,
      STATE_KEY,
      String(until),
      String(STATE_TTL_MS),
    );
  }

  async read(): Promise<SharedBudgetState | null> {
    const fields = await this.redis.client?.hgetall(STATE_KEY);
    if (!fields || Object.keys(fields).length === 0) return null;
    return {
      limit: limitChange(fields),
      rate: rateChange(fields),
      holdUntil: Number(fields.holdUntil ?? 0) || 0,
    };
  }

  /**
   * Takes one call from this second's tenant-wide counter; returns how long to wait for the
   * next second when `rate` calls already went out in this one (0: go). 0 without Redis.
   */
  async takeFromSecond(now: number, rate: number): Promise<number> {
    const client = this.redis.client;
    if (!client) return 0;
    const second = Math.floor(now / 1000);
    const key = `${SECOND_KEY_PREFIX}${second}`;
    const results = await client.multi().incr(key).expire(key, 2).exec();
    const count = Number(results?.[0]?.[1]);
    if (!Number.isFinite(count) || count <= Math.max(1, Math.floor(rate))) return 0;
    return (second + 1) * 1000 - now;
  }

  /** Counts one accepted call in this second's tenant-wide counter (not awaited by callers). */
  async countAccepted(now: number): Promise<void> {
    const key = `${ACCEPTED_KEY_PREFIX}${Math.floor(now / 1000)}`;
    await this.redis.client?.multi().incr(key).pexpire(key, 3000).exec();
  }

  /** Accepted calls across replicas over the last second (this one and a share of the one before). */
  async acceptedLastSecond(now: number): Promise<number | null> {
    const client = this.redis.client;
    if (!client) return null;
    const second = Math.floor(now / 1000);
    const [current, previous] = await client.mget(
      `${ACCEPTED_KEY_PREFIX}${second}`,
      `${ACCEPTED_KEY_PREFIX}${second - 1}`,
    );
    const elapsed = (now % 1000) / 1000;
    return Math.round(Number(current ?? 0) + Number(previous ?? 0) * (1 - elapsed));
  }

  private async publish(
    field: 'limit' | 'rate',
    to: number,
    from: number | null,
    at: number,
    reason: string,
  ): Promise<void> {
    await this.redis.client?.eval(
      PUBLISH_LIMIT_SCRIPT,
      1,
      STATE_KEY,
      field,
      String(to),
      from === null ? '' : String(from),
      String(at),
      reason,
      String(STATE_TTL_MS),
    );
  }
}

function limitChange(fields: Record<string, string>): LimitChange | null {
  const to = Number(fields.limit);
  if (!Number.isFinite(to) || to < 1) return null;
  return {
    to,
    from: Number(fields['limit:from']) || to,
    at: Number(fields['limit:at']) || 0,
    reason: fields['limit:reason'] ?? '',
  };
}

function rateChange(fields: Record<string, string>): RateChange | null {
  const to = Number(fields.rate);
  if (!Number.isFinite(to) || to <= 0) return null;
  const from = Number(fields['rate:from']);
  return {
    to,
    from: fields['rate:from'] && Number.isFinite(from) ? from : null,
    at: Number(fields['rate:at']) || 0,
    reason: fields['rate:reason'] ?? '',
  };
}
