import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { HeldLock, RedisLock } from '../../common/concurrency/redis-lock';
import type { FeedMessage, FeedState, QueueFeedBus } from './queue-feed.types';

const LEASE_KEY = 'cxgw:live:queues:poller';
const STATE_KEY = 'cxgw:live:queues:state';
const CHANNEL = 'cxgw:live:queues';

export interface RedisQueueFeedBusOptions {
  /** How long a lease outlives its holder's last renewal (a few poll intervals). */
  leaseMs: number;
  /** How long the shared state stays without a poll refreshing it. */
  stateTtlMs: number;
}

/**
 * Replicas share one poller through Redis: a lease (lock) names the replica that polls; it
 * stores each new state under one key and publishes each message on one channel, which every
 * replica (itself included) listens to. A replica joining late reads the stored state.
 */
export class RedisQueueFeedBus implements QueueFeedBus {
  readonly origin = randomUUID();
  private readonly logger = new Logger('QueueFeedBus');
  private readonly lock: RedisLock;
  private readonly listener: Redis;
  private readonly handlers: ((message: FeedMessage) => void)[] = [];
  private lease: HeldLock | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisQueueFeedBusOptions,
  ) {
    this.lock = new RedisLock(redis, LEASE_KEY, options.leaseMs);
    // Subscriber mode needs its own connection; it queues the SUBSCRIBE until connected and
    // re-subscribes by itself after a reconnect (a gap in ids then triggers a resync).
    this.listener = redis.duplicate({ enableOfflineQueue: true, commandTimeout: undefined });
    this.listener.on('error', () => undefined);
    this.listener.on('message', (_channel: string, text: string) => this.receive(text));
    this.listener.subscribe(CHANNEL).catch((err: Error) => {
      this.logger.warn(`Could not subscribe to queue updates: ${err.message}`);
    });
  }

  /** Renews our lease (compare-and-extend: one someone else took is never extended), else tries to take it. */
  async lead(): Promise<boolean> {
    if (this.lease && (await this.lease.extend())) return true;
    this.lease = await this.lock.tryAcquire();
    return this.lease !== undefined;
  }

  async resign(): Promise<void> {
    const lease = this.lease;
    this.lease = undefined;
    await lease?.release();
  }

  async loadState(): Promise<FeedState | null> {
    const text = await this.redis.get(STATE_KEY);
    return text === null ? null : decodeState(text);
  }

  async publish(message: FeedMessage, state?: FeedState): Promise<void> {
    const text = JSON.stringify(message);
    const tx = this.redis.multi();
    if (state) tx.set(STATE_KEY, JSON.stringify(state), 'PX', this.options.stateTtlMs);
    await tx.publish(CHANNEL, text).exec();
    // Our own copy is applied at once; the echo from the channel is ignored (same origin).
    this.deliver(message);
  }

  onMessage(handler: (message: FeedMessage) => void): void {
    this.handlers.push(handler);
  }

  async close(): Promise<void> {
    try {
      await this.listener.quit();
    } catch {
      this.listener.disconnect();
    }
  }

  private receive(text: string): void {
    let message: FeedMessage;
    try {
      message = decodeMessage(text);
    } catch (err) {
      this.logger.warn(`Ignored a malformed queue update: ${(err as Error).message}`);
      return;
    }
    if (message.origin !== this.origin) this.deliver(message);
  }

  private deliver(message: FeedMessage): void {
    for (const handler of this.handlers) handler(message);
  }
}

const KINDS = ['reset', 'update', 'tick', 'status'];

/** Messages come from our own replicas; their outline is still checked before use. */
function decodeMessage(text: string): FeedMessage {
  const message = JSON.parse(text) as Partial<FeedMessage> | null;
  if (
    !message ||
    typeof message.origin !== 'string' ||
    typeof message.kind !== 'string' ||
    !KINDS.includes(message.kind)
  ) {
    throw new Error('unknown message');
  }
  const m = message as FeedMessage;
  if (m.kind === 'reset') decodeState(JSON.stringify(m.state));
  if (
    m.kind === 'update' &&
    (typeof m.update?.id !== 'number' || !Array.isArray(m.update.queues))
  ) {
    throw new Error('update without id or queues');
  }
  return m;
}

function decodeState(text: string): FeedState {
  const state = JSON.parse(text) as Partial<FeedState> | null;
  if (
    !state ||
    typeof state.id !== 'number' ||
    typeof state.asOf !== 'string' ||
    !Array.isArray(state.queues)
  ) {
    throw new Error('shared queue state has an unexpected shape');
  }
  return state as FeedState;
}
