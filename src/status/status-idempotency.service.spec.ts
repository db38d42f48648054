import Redis from 'ioredis';
import { FakeClock } from '../common/clock/fake-clock.fake';
import type { RedisService } from '../common/redis/redis.service';
import { parseConfig } from '../config/app-config';
import { MetricsService } from '../observability/metrics.service';

import { MemoryIdempotencyStore } from './idempotency.store';
import {
  StatusIdempotency,
  fingerprintOf,
  parseIdempotencyKey,
} from './status-idempotency.service';
import type { AgentStatusResult } from './status.types';
import { testRedisUrl } from '../common/redis/test-redis-url.fake';

const result = (status = 'Busy'): AgentStatusResult => ({
  userId: 'u1',
  status,
  pauseReason: null,
  updatedAt: '2026-01-15T12:00:00.000Z',
  latencyMs: 12,
});

function redisService(client: Redis | null): RedisService {
  return { client } as unknown as RedisService;
}

function makeSut(client: Redis | null = null, clock = new FakeClock()): StatusIdempotency {
  const config = parseConfig({ IDEMPOTENCY_TTL_S: '60' });
  return new StatusIdempotency(config, clock, redisService(client), new MetricsService());
}

describe('parseIdempotencyKey', () => {
  it('accepts absent and well-formed keys', () => {
    expect(parseIdempotencyKey(undefined)).toBeUndefined();
    expect(parseIdempotencyKey('order-42:retry_1.a')).toBe('order-42:retry_1.a');
    expect(parseIdempotencyKey('k'.repeat(128))).toHaveLength(128);
  });

  it.each([[''], ['k'.repeat(129)], ['has space'], ['ünï'], [['a', 'b']]])(
    'refuses %p with a 400 naming the header',
    (raw) => {
      expect(() => parseIdempotencyKey(raw)).toThrow(
        expect.objectContaining({
          code: 'VALIDATION_FAILED',
          errors: [expect.objectContaining({ field: 'Idempotency-Key' })],
        }),
      );
    },
  );
});

describe('MemoryIdempotencyStore', () => {
  const entry = { fingerprint: 'f1', state: 'pending' as const, owner: 'o1' };

  it('claims once, reports in-flight, replays when done, and expires', async () => {
    const clock = new FakeClock();
    const sut = new MemoryIdempotencyStore(clock);
    expect(await sut.claim('k', entry, 10)).toEqual({ kind: 'claimed' });
    expect(await sut.claim('k', { ...entry, owner: 'o2' }, 10)).toEqual({ kind: 'inFlight' });
    expect(await sut.claim('k', { ...entry, fingerprint: 'f2' }, 10)).toEqual({ kind: 'mismatch' });
    await sut.complete('k', { ...entry, state: 'done', result: 'r' }, 60);
    expect(await sut.claim('k', entry, 10)).toEqual({ kind: 'replay', result: 'r' });
    await clock.advance(61_000);
    expect(await sut.claim('k', entry, 10)).toEqual({ kind: 'claimed' });
  });

  it('lets only the owner release a pending key', async () => {
    const sut = new MemoryIdempotencyStore(new FakeClock());
    await sut.claim('k', entry, 10);
    await sut.release('k', { ...entry, owner: 'intruder' });
    expect((await sut.claim('k', entry, 10)).kind).toBe('inFlight');
    await sut.release('k', entry);
    expect((await sut.claim('k', entry, 10)).kind).toBe('claimed');
  });
});

describe('StatusIdempotency (memory)', () => {
  const run = (sut: StatusIdempotency, execute: () => Promise<AgentStatusResult>, extra = {}) =>
    sut.run({
      scope: 'tester',
      key: 'key-1',
      fingerprint: fingerprintOf({ s: 'Busy' }),
      execute,
      ...extra,
    });

  it('runs once and replays the stored result for the same body', async () => {
    const sut = makeSut();
    const execute = jest.fn(() => Promise.resolve(result()));
    expect(await run(sut, execute)).toEqual({ result: result(), replayed: false });
    expect(await run(sut, execute)).toEqual({ result: result(), replayed: true });
    expect(execute).toHaveBeenCalledTimes(1);
  });

  it('422s the same key with a different body', async () => {
    const sut = makeSut();
    await run(sut, () => Promise.resolve(result()));
    await expect(
      run(sut, () => Promise.resolve(result()), { fingerprint: 'other' }),
    ).rejects.toMatchObject({
      code: 'IDEMPOTENCY_MISMATCH',
    });
  });

  it('scopes keys per caller', async () => {
    const sut = makeSut();
    const execute = jest.fn(() => Promise.resolve(result()));
    await run(sut, execute);
    expect((await run(sut, execute, { scope: 'other' })).replayed).toBe(false);
    expect(execute).toHaveBeenCalledTimes(2);
  });

  it('makes a concurrent duplicate wait for the first and share its result', async () => {
    const sut = makeSut();
    let finish: (r: AgentStatusResult) => void = () => undefined;
    const execute = jest.fn(() => new Promise<AgentStatusResult>((resolve) => (finish = resolve)));
    const first = run(sut, execute);
    const second = run(sut, execute);
    await new Promise((r) => setImmediate(r));
    expect(execute).toHaveBeenCalledTimes(1);
    finish(result());
    expect(await first).toEqual({ result: result(), replayed: false });
    expect(await second).toEqual({ result: result(), replayed: true });
    expect(execute).toHaveBeenCalledTimes(1);
  });

  it('422s a concurrent duplicate with a different body', async () => {
    const sut = makeSut();
    let finish: (r: AgentStatusResult) => void = () => undefined;
    const first = run(sut, () => new Promise<AgentStatusResult>((resolve) => (finish = resolve)));
    await expect(
      run(sut, () => Promise.resolve(result()), { fingerprint: 'other' }),
    ).rejects.toMatchObject({
      code: 'IDEMPOTENCY_MISMATCH',
    });
    await new Promise((r) => setImmediate(r));
    finish(result());
    await first;
  });

  it('does not store failures: the key can be retried', async () => {
    const sut = makeSut();
    await expect(run(sut, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await run(sut, () => Promise.resolve(result('Offline')))).toEqual({
      result: result('Offline'),
      replayed: false,
    });
  });

  it('forgets keys after IDEMPOTENCY_TTL_S', async () => {
    const clock = new FakeClock();
    const sut = makeSut(null, clock);
    const execute = jest.fn(() => Promise.resolve(result()));
    await run(sut, execute);
    await clock.advance(61_000);
    expect((await run(sut, execute)).replayed).toBe(false);
  });

  it('fails open to memory when Redis errors', async () => {
    const broken = {
      set: () => Promise.reject(new Error('Connection is closed.')),
      get: () => Promise.reject(new Error('Connection is closed.')),
      eval: () => Promise.reject(new Error('Connection is closed.')),
    } as unknown as Redis;
    const sut = makeSut(broken);
    const execute = jest.fn(() => Promise.resolve(result()));
    expect((await run(sut, execute)).replayed).toBe(false);
    expect((await run(sut, execute)).replayed).toBe(true);
    expect(execute).toHaveBeenCalledTimes(1);
  });
});

const redisUrl = testRedisUrl(4);
const describeRedis = redisUrl ? describe : describe.skip;

describeRedis('StatusIdempotency (Redis)', () => {
  let client: Redis;
  beforeAll(() => {
    client = new Redis(redisUrl as string, { maxRetriesPerRequest: 1 });
  });
  afterAll(() => client.quit());

  it('shares keys across instances (replicas) and reports in-flight ones as 409', async () => {
    const key = `spec-${Date.now()}`;
    const a = makeSut(client);
    const b = makeSut(client);
    const fingerprint = fingerprintOf({ s: 'Busy' });
    let finish: (r: AgentStatusResult) => void = () => undefined;
    let claimed!: () => void;
    const executing = new Promise<void>((resolve) => (claimed = resolve));
    const first = a.run({
      scope: 's',
      key,
      fingerprint,
      execute: () => {
        claimed();
        return new Promise((r) => (finish = r));
      },
    });
    // Executing means replica a holds the key.
    await executing;
    await expect(
      b.run({ scope: 's', key, fingerprint, execute: () => Promise.resolve(result()) }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      retryAfterS: 1,
    });
    finish(result());
    await first;
    const replay = await b.run({
      scope: 's',
      key,
      fingerprint,
      execute: () => Promise.reject(new Error('not again')),
    });
    expect(replay).toEqual({ result: result(), replayed: true });
    await expect(
      b.run({ scope: 's', key, fingerprint: 'other', execute: () => Promise.resolve(result()) }),
    ).rejects.toMatchObject({ code: 'IDEMPOTENCY_MISMATCH' });
    const ttl = await client.ttl(`cxgw:idem:status:${fingerprintOf(['s', key])}`);
    expect(ttl).toBeGreaterThan(50);
  });
});
