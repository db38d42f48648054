import Redis from 'ioredis';
import { FakeClock } from '../common/clock/fake-clock.fake';
import { testRedisUrl } from '../common/redis/test-redis-url.fake';
import { InMemorySlotQueue, RedisSlotQueue, type SlotQueue } from './export-slot.queue';

const redisUrl = testRedisUrl(10);
const STALE_MS = 30_000;

interface Mode {
  name: string;
  make(clock: FakeClock): SlotQueue;
}

let redis: Redis | undefined;
const MODES: Mode[] = [
  { name: 'in memory', make: () => new InMemorySlotQueue() },
  {
    name: 'in Redis',
    make: (clock) => new RedisSlotQueue(redis as Redis, clock, STALE_MS),
  },
];

describe.each(MODES)('SlotQueue $name', ({ name, make }) => {
  const maybe = name === 'in Redis' && !redisUrl ? it.skip : it;
  const redisOnly = name === 'in Redis' && redisUrl ? it : it.skip;
  let clock: FakeClock;
  let sut: SlotQueue;

  beforeAll(() => {
    if (name === 'in Redis' && redisUrl) redis = new Redis(redisUrl);
  });
  afterAll(() => redis?.disconnect());
  beforeEach(async () => {
    await redis?.flushdb();
    clock = new FakeClock();
    sut = make(clock);
  });

  maybe("gives a newcomer key the next turn ahead of a busy key's backlog", async () => {
    const b = [await sut.join('B'), await sut.join('B'), await sut.join('B')];
    expect(await sut.isNext(b[0])).toBe(true);
    await sut.served(b[0]);
    const a = await sut.join('A');
    expect(await sut.isNext(b[1])).toBe(false);
    expect(await sut.isNext(a)).toBe(true);
    await sut.served(a);
    // A was served last: B's oldest waiter is next, then its others in order.
    const a2 = await sut.join('A');
    expect(await sut.isNext(a2)).toBe(false);
    expect(await sut.isNext(b[1])).toBe(true);
    await sut.served(b[1]);
    expect(await sut.isNext(a2)).toBe(true);
    expect(await sut.isNext(b[2])).toBe(false);
  });

  maybe('lets the next waiter through once the first leaves (gave up or aborted)', async () => {
    const first = await sut.join('B');
    const second = await sut.join('C');
    expect(await sut.isNext(second)).toBe(false);
    await sut.leave(first);
    expect(await sut.isNext(second)).toBe(true);
  });

  redisOnly('drops a waiter whose replica went silent', async () => {
    const dead = await sut.join('B');
    const alive = await sut.join('A');
    expect(await sut.isNext(alive)).toBe(false);
    await clock.advance(STALE_MS + 1);
    expect(await sut.isNext(alive)).toBe(true);
    // The silent one, should it come back, stands in line again (behind the live one).
    expect(await sut.isNext(dead)).toBe(false);
  });

  redisOnly('puts a waiter back in line when its ticket was lost', async () => {
    const ticket = await sut.join('A');
    await redis?.flushdb();
    const other = await sut.join('B');
    expect(await sut.isNext(ticket)).toBe(false);
    expect(await sut.isNext(other)).toBe(true);
  });
});
