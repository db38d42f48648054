import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import type { Clock } from '../common/clock/clock';

/** One window waiting for an upstream export slot, on behalf of the API key that owns it. */
export interface SlotTicket {
  readonly id: string;
  readonly owner: string;
}

/**
 * The line for upstream export slots, fair across API keys: the next free slot goes to the
 * waiting key that was served longest ago (never served first), and within one key to its
 * oldest waiter. A key with forty exports therefore gets one slot in turn with every other key
 * that waits, instead of all of them before a newcomer. `isNext` and `served` are called under
 * the slot gate's cross-replica lock, so they need no atomicity of their own.
 */
export interface SlotQueue {
  join(owner: string): Promise<SlotTicket>;
  /** Whether `ticket` is first in line (and proof that its waiter is still alive). */
  isNext(ticket: SlotTicket): Promise<boolean>;
  /** `ticket` got its slot: it leaves the line and its owner goes to the back of the turn order. */
  served(ticket: SlotTicket): Promise<void>;
  leave(ticket: SlotTicket): Promise<void>;
}

interface Waiter {
  ticket: SlotTicket;
  order: number;
  beat: number;
}

/** The first waiter by (owner's last turn, order); turns and orders only grow. */
function head(waiters: Waiter[], turns: (owner: string) => number): Waiter | undefined {
  let best: Waiter | undefined;
  for (const w of waiters) {
    if (!best) best = w;
    else {
      const a = turns(w.ticket.owner);
      const b = turns(best.ticket.owner);
      if (a < b || (a === b && w.order < best.order)) best = w;
    }
  }
  return best;
}

/** Memory mode: one process holds every waiter. */
export class InMemorySlotQueue implements SlotQueue {
  private readonly waiters = new Map<string, Waiter>();
  private readonly turns = new Map<string, number>();
  private counter = 0;

  join(owner: string): Promise<SlotTicket> {
    const ticket = { id: randomUUID(), owner };
    this.waiters.set(ticket.id, { ticket, order: (this.counter += 1), beat: 0 });
    return Promise.resolve(ticket);
  }

  isNext(ticket: SlotTicket): Promise<boolean> {
    const first = head([...this.waiters.values()], (o) => this.turns.get(o) ?? 0);
    return Promise.resolve(first === undefined || first.ticket.id === ticket.id);
  }

  served(ticket: SlotTicket): Promise<void> {
    this.turns.set(ticket.owner, (this.counter += 1));
    this.waiters.delete(ticket.id);
    return Promise.resolve();
  }

  leave(ticket: SlotTicket): Promise<void> {
    this.waiters.delete(ticket.id);
    return Promise.resolve();
  }
}

const ROOT = 'cxgw:export:slots';
const KEYS = {
  line: `${ROOT}:line`,
  owners: `${ROOT}:owners`,
  beats: `${ROOT}:beats`,
  turns: `${ROOT}:turns`,
  counter: `${ROOT}:counter`,
};

/**
 * Redis mode: the line is shared by every replica (sorted set by join order, plus each ticket's
 * owner and last sign of life; each key's last turn). A waiter whose replica died stops
 * showing signs of life and is dropped after `staleMs`. Redis failing opens the line (every
 * waiter may try, as without fairness) rather than stopping exports.
 */
export class RedisSlotQueue implements SlotQueue {
  private readonly logger = new Logger('ExportSlotQueue');
  private failureLogged = false;

  constructor(
    private readonly redis: Redis,
    private readonly clock: Clock,
    private readonly staleMs: number,
  ) {}

  async join(owner: string): Promise<SlotTicket> {
    const ticket = { id: randomUUID(), owner };
    await this.failOpen(undefined, () => this.add(ticket));
    return ticket;
  }

  isNext(ticket: SlotTicket): Promise<boolean> {
    return this.failOpen(true, async () => {
      const now = this.clock.now();
      await this.redis.hset(KEYS.beats, ticket.id, String(now));
      let line = await this.redis.zrange(KEYS.line, 0, -1, 'WITHSCORES');
      if (!line.includes(ticket.id)) {
        // Joined while Redis was down, or dropped as stale after a long pause: back in line.
        await this.add(ticket);
        line = await this.redis.zrange(KEYS.line, 0, -1, 'WITHSCORES');
      }
      const ids = line.filter((_, i) => i % 2 === 0);
      const owners = await this.redis.hmget(KEYS.owners, ...ids);
      const beats = await this.redis.hmget(KEYS.beats, ...ids);
      const waiters: Waiter[] = [];
      const stale: string[] = [];
      ids.forEach((id, i) => {
        const owner = owners[i];
        const beat = Number(beats[i] ?? 0);
        if (owner === null || beat + this.staleMs < now) stale.push(id);
        else waiters.push({ ticket: { id, owner }, order: Number(line[i * 2 + 1]), beat });
      });
      if (stale.length > 0) await this.drop(stale);
      const names = [...new Set(waiters.map((w) => w.ticket.owner))];
      const turns = new Map<string, number>();
      if (names.length > 0) {
        const values = await this.redis.hmget(KEYS.turns, ...names);
        names.forEach((n, i) => turns.set(n, Number(values[i] ?? 0)));
      }
      const first = head(waiters, (o) => turns.get(o) ?? 0);
      return first === undefined || first.ticket.id === ticket.id;
    });
  }

  async served(ticket: SlotTicket): Promise<void> {
    await this.failOpen(undefined, async () => {
      const turn = await this.redis.incr(KEYS.counter);
      await this.redis.hset(KEYS.turns, ticket.owner, String(turn));
      await this.drop([ticket.id]);
    });
  }

  async leave(ticket: SlotTicket): Promise<void> {
    await this.failOpen(undefined, () => this.drop([ticket.id]));
  }

  private async add(ticket: SlotTicket): Promise<void> {
    const order = await this.redis.incr(KEYS.counter);
    await this.redis
      .multi()
      .zadd(KEYS.line, order, ticket.id)
      .hset(KEYS.owners, ticket.id, ticket.owner)
      .hset(KEYS.beats, ticket.id, String(this.clock.now()))
      .exec();
  }

  private async drop(ids: string[]): Promise<void> {
    await this.redis
      .multi()
      .zrem(KEYS.line, ...ids)
      .hdel(KEYS.owners, ...ids)
      .hdel(KEYS.beats, ...ids)
      .exec();
  }

  private async failOpen<T>(fallback: T, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (!this.failureLogged) {
        this.failureLogged = true;
        this.logger.warn(
          `Redis unavailable for the export slot line (${(err as Error).message}); slots go first come, first served`,
        );
      }
      return fallback;
    }
  }
}
