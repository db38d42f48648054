import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock/clock';
import { AppError } from '../common/errors/app-error';
import { RedisService } from '../common/redis/redis.service';
import { APP_CONFIG } from '../config/config.constants';
import type { AppConfig } from '../config/app-config.types';
import { MetricsService } from '../observability/metrics.service';
import {
  ClaimOutcome,
  IdempotencyEntry,
  IdempotencyStore,
  MemoryIdempotencyStore,
} from './idempotency.store';
import { RedisIdempotencyStore } from './redis-idempotency.store';
import type { AgentStatusResult } from './status.types';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
const KEY_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;
const KEY_PREFIX = 'cxgw:idem:status:';

/** Validates the Idempotency-Key header (absent → undefined; anything malformed → 400). */
export function parseIdempotencyKey(raw: string | string[] | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw === 'string' && KEY_PATTERN.test(raw)) return raw;
  throw AppError.field(
    IDEMPOTENCY_KEY_HEADER,
    'Idempotency-Key must be one value of 1-128 characters from [A-Za-z0-9_.:-]',
  );
}

/** A stable hash of what was asked: the same key with another fingerprint is a mismatch. */
export function fingerprintOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

export interface IdempotentRun {
  /** Who owns the key space (the API key's name): keys never collide across callers. */
  scope: string;
  key: string;
  fingerprint: string;
  execute: () => Promise<AgentStatusResult>;
}

export interface IdempotentOutcome {
  result: AgentStatusResult;
  /** True when the result is a stored (or concurrently produced) one: no new upstream write. */
  replayed: boolean;
}

function isResult(v: unknown): v is AgentStatusResult {
  const r = v as Partial<AgentStatusResult> | null;
  return (
    typeof r?.userId === 'string' &&
    typeof r.status === 'string' &&
    typeof r.updatedAt === 'string' &&
    typeof r.latencyMs === 'number'
  );
}

/**
 * Idempotency-Key semantics for status writes. The first request with a key runs and its success
 * is stored for IDEMPOTENCY_TTL_S; a repeat with the same body replays it, with another body is a
 * 422. A duplicate arriving while the first is still running in this process waits for it; one
 * running on another replica answers 409 (Retry-After: 1). Failures are not stored: the key is
 * released so the caller may retry. Redis (shared) when configured, failing open to memory.
 */
@Injectable()
export class StatusIdempotency {
  private readonly logger = new Logger('StatusIdempotency');
  private readonly memory: MemoryIdempotencyStore;
  private readonly shared: RedisIdempotencyStore | null;
  private readonly running = new Map<
    string,
    { fingerprint: string; outcome: Promise<IdempotentOutcome> }
  >();
  private readonly pendingTtlS: number;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    clock: Clock,
    redis: RedisService,
    private readonly metrics: MetricsService,
  ) {
    this.memory = new MemoryIdempotencyStore(clock);
    this.shared = redis.client ? new RedisIdempotencyStore(redis.client) : null;
    // Long enough for the user check and the write with all their retries.
    this.pendingTtlS = Math.ceil((config.cxone.deadlineMs * 2) / 1000) + 5;
  }

  async run(req: IdempotentRun): Promise<IdempotentOutcome> {
    const storeKey = KEY_PREFIX + fingerprintOf([req.scope, req.key]);
    const local = this.running.get(storeKey);
    if (local) {
      if (local.fingerprint !== req.fingerprint) throw mismatch();
      return { result: (await local.outcome).result, replayed: true };
    }
    // Registered before the first await, so a concurrent duplicate always finds it.
    const outcome = this.claimAndRun(storeKey, req);
    this.running.set(storeKey, { fingerprint: req.fingerprint, outcome });
    try {
      return await outcome;
    } finally {
      this.running.delete(storeKey);
    }
  }

  private async claimAndRun(storeKey: string, req: IdempotentRun): Promise<IdempotentOutcome> {
    const entry: IdempotencyEntry = {
      fingerprint: req.fingerprint,
      state: 'pending',
      owner: randomUUID(),
    };
    const { store, outcome } = await this.claim(storeKey, entry);
    switch (outcome.kind) {
      case 'replay':
        if (!isResult(outcome.result))
          throw new AppError(
            'CONFLICT',
            'The stored result for this Idempotency-Key is unreadable; use a new key',
          );
        return { result: outcome.result, replayed: true };
      case 'mismatch':
        throw mismatch();
      case 'inFlight':
        throw new AppError(
          'CONFLICT',
          'A request with this Idempotency-Key is still in progress; retry shortly',
          { retryAfterS: 1 },
        );
      case 'claimed':
        break;
    }
    let result: AgentStatusResult;
    try {
      result = await req.execute();
    } catch (err) {
      await this.release(store, storeKey, entry);
      throw err;
    }
    await this.complete(store, storeKey, { ...entry, state: 'done', result });
    return { result, replayed: false };
  }

  private async claim(
    key: string,
    entry: IdempotencyEntry,
  ): Promise<{ store: IdempotencyStore; outcome: ClaimOutcome }> {
    if (this.shared) {
      try {
        return {
          store: this.shared,
          outcome: await this.shared.claim(key, entry, this.pendingTtlS),
        };
      } catch (err) {
        this.redisFailed('claim', err);
      }
    }
    return { store: this.memory, outcome: await this.memory.claim(key, entry, this.pendingTtlS) };
  }

  private async complete(
    store: IdempotencyStore,
    key: string,
    entry: IdempotencyEntry,
  ): Promise<void> {
    const ttlS = this.config.status.idempotencyTtlS;
    try {
      await store.complete(key, entry, ttlS);
    } catch (err) {
      this.redisFailed('store the result of', err);
      // This replica can still replay; the shared pending entry expires on its short TTL.
      await this.memory.complete(key, entry, ttlS);
    }
  }

  private async release(
    store: IdempotencyStore,
    key: string,
    entry: IdempotencyEntry,
  ): Promise<void> {
    try {
      await store.release(key, entry);
    } catch (err) {
      this.redisFailed('release', err);
    }
  }

  private redisFailed(what: string, err: unknown): void {
    this.metrics.cacheEvents.inc({ cache: 'idempotency', result: 'error' });
    this.logger.warn(
      `Redis unavailable to ${what} an idempotency key; using process memory: ${(err as Error).message}`,
    );
  }
}

function mismatch(): AppError {
  return new AppError(
    'IDEMPOTENCY_MISMATCH',
    'This Idempotency-Key was already used with a different request body (or user); use a new key',
  );
}
