import Redis from 'ioredis';
import { FakeClock } from '../../common/clock/fake-clock.fake';
import { testRedisUrl } from '../../common/redis/test-redis-url.fake';
import type { Principal } from '../../auth/principal';
import { StreamTicketStore } from './stream-ticket.store';

const TTL_MS = 300_000;
const REPORTER: Principal = { name: 'wallboard', scopes: ['reporting:read'] };

/** The suite's Redis, on a database of this spec's own; undefined without one. */
const redisUrl = (): string | undefined => testRedisUrl(11);

const MODES: [string, () => Redis | null][] = [
  ['in memory', () => null],
  ['in Redis', () => new Redis(redisUrl() as string)],
];

describe.each(MODES)('StreamTicketStore %s', (mode, makeRedis) => {
  const run = mode === 'in Redis' && !redisUrl() ? it.skip : it;
  let clock: FakeClock;
  let redis: Redis | null;
  let sut: StreamTicketStore;

  beforeEach(async () => {
    clock = new FakeClock();
    redis = makeRedis();
    await redis?.flushdb();
    sut = new StreamTicketStore(clock, redis, TTL_MS);
  });
  afterEach(() => redis?.disconnect());

  run('issues a ticket that stands for its key until it expires on the clock', async () => {
    const issued = await sut.issue(REPORTER);
    expect(issued.expiresAt).toBe(new Date(clock.now() + TTL_MS).toISOString());
    expect(await sut.verify(issued.ticket)).toEqual(REPORTER);
    await clock.advance(TTL_MS - 1);
    expect(await sut.verify(issued.ticket)).toEqual(REPORTER);
    await clock.advance(1);
    expect(await sut.verify(issued.ticket)).toBeUndefined();
  });

  run('knows only tickets it issued, and never stores one in clear', async () => {
    const { ticket } = await sut.issue(REPORTER);
    expect(await sut.verify(`${ticket.slice(0, -1)}x`)).toBeUndefined();
    expect(await sut.verify('sandbox-demo-key')).toBeUndefined();
    if (redis) {
      const client = redis;
      const keys = await client.keys('cxgw:live:ticket:*');
      const values = await Promise.all(keys.map((k) => client.get(k)));
      expect(keys).toHaveLength(1);
      expect(keys.join(' ') + values.join(' ')).not.toContain(ticket.slice(5));
      expect(await client.pttl(keys[0])).toBeGreaterThan(TTL_MS - 5000);
    }
  });

  run('is valid on every replica that shares the store', async () => {
    const { ticket } = await sut.issue(REPORTER);
    const other = new StreamTicketStore(clock, redis, TTL_MS);
    expect(await other.verify(ticket)).toEqual(mode === 'in Redis' ? REPORTER : undefined);
  });
});
