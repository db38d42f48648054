import { Writable } from 'node:stream';
import { FakeClock } from '../../common/clock/fake-clock.fake';
import { AppError } from '../../common/errors/app-error';
import type { QueueStatsRow } from '../../reporting/queue-stats/queue-stats.flatten';
import { StreamHub } from '../stream/stream-hub';
import { MemoryQueueFeedBus } from './memory-queue-feed.bus';
import { QueueFeed } from './queue-feed';
import { QueueFeedPoller } from './queue-feed.poller';
import type { FeedMessage } from './queue-feed.types';

const INTERVAL_MS = 5000;

class ReadingSink extends Writable {
  readonly events: { event: string; id?: string; data: Record<string, unknown> }[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    for (const block of chunk
      .toString()
      .split('\n\n')
      .filter((b) => b && !b.startsWith(':'))) {
      const fields = Object.fromEntries(
        block.split('\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]),
      ) as Record<string, string>;
      this.events.push({
        event: fields.event,
        id: fields.id,
        data: JSON.parse(fields.data) as Record<string, unknown>,
      });
    }
    done();
  }
}

/** Upstream as the poller sees it: rows we set, a call counter, an optional failure. */
class FakeUpstream {
  calls = 0;
  rows: QueueStatsRow[] = [row('q1', 10), row('q2', 20)];
  failure?: AppError;
  constructor(private readonly clock: FakeClock) {}
  fetch = (): Promise<{ asOf: string; queues: QueueStatsRow[] }> => {
    this.calls += 1;
    if (this.failure) return Promise.reject(this.failure);
    const asOf = new Date(this.clock.now()).toISOString();
    return Promise.resolve({ asOf, queues: this.rows.map((r) => ({ ...r, timestamp: asOf })) });
  };
}

function row(queueId: string, waitTime: number): QueueStatsRow {
  return { queueId, queueName: queueId.toUpperCase(), timestamp: null, waitTime };
}

describe('QueueFeed with its poller (memory bus, fake clock)', () => {
  let clock: FakeClock;
  let upstream: FakeUpstream;
  let bus: MemoryQueueFeedBus;
  let hub: StreamHub;
  let feed: QueueFeed;
  let poller: QueueFeedPoller;

  beforeEach(() => {
    clock = new FakeClock();
    upstream = new FakeUpstream(clock);
    bus = new MemoryQueueFeedBus();
    hub = new StreamHub(clock, { heartbeatMs: 15_000, maxBufferedBytes: 1 << 20 });
    feed = new QueueFeed(bus, hub, clock, { replayCapacity: 3, waitMs: 8000 });
    poller = new QueueFeedPoller({
      feed,
      bus,
      clock,
      intervalMs: INTERVAL_MS,
      fetchSnapshot: upstream.fetch,
    });
    poller.start();
  });
  afterEach(() => poller.stop());

  /** A subscriber as the stream service opens one: wait for figures, add, snapshot. */
  async function subscribe(): Promise<ReadingSink> {
    const state = await feed.ready();
    const sink = new ReadingSink();
    hub.sendSnapshot(hub.add('k', null, sink), state);
    return sink;
  }

  it('polls only while someone watches, then once per interval; pushes only changed queues', async () => {
    await clock.advance(3 * INTERVAL_MS);
    expect(upstream.calls).toBe(0);
    const sink = await subscribe();
    expect(upstream.calls).toBe(1);
    expect(sink.events.map((e) => e.event)).toEqual(['snapshot']);
    const snapshotId = Number(sink.events[0].id);
    expect(snapshotId).toBe(clock.now());

    await clock.advance(INTERVAL_MS);
    expect(upstream.calls).toBe(2);
    expect(sink.events).toHaveLength(1);

    upstream.rows = [row('q1', 10), row('q2', 99), row('q3', 1)];
    await clock.advance(INTERVAL_MS);
    expect(upstream.calls).toBe(3);
    const update = sink.events[1];
    expect(update.event).toBe('update');
    expect((update.data.queues as QueueStatsRow[]).map((q) => [q.queueId, q.waitTime])).toEqual([
      ['q2', 99],
      ['q3', 1],
    ]);
    expect(Number(update.id)).toBeGreaterThan(snapshotId);

    upstream.rows = [row('q2', 99), row('q3', 1)];
    await clock.advance(INTERVAL_MS);
    expect(sink.events[2].data).toMatchObject({ queues: [], removed: ['q1'] });
    expect(feed.state?.queues.map((q) => q.queueId)).toEqual(['q2', 'q3']);
  });

  it('keeps updates for resuming, and forgets the oldest beyond its capacity', async () => {
    const sink = await subscribe();
    const start = Number(sink.events[0].id);
    for (let i = 1; i <= 4; i++) {
      upstream.rows = [row('q1', 10 + i), row('q2', 20)];
      await clock.advance(INTERVAL_MS);
    }
    const ids = sink.events.slice(1).map((e) => Number(e.id));
    expect(ids).toHaveLength(4);
    expect(feed.updatesSince(ids[1])?.map((u) => u.id)).toEqual(ids.slice(2));
    expect(feed.updatesSince(ids[3])).toEqual([]);
    // Capacity 3: the snapshot id and the first update can no longer be resumed from.
    expect(feed.updatesSince(start)).toBeUndefined();
    expect(feed.updatesSince(ids[0])?.map((u) => u.id)).toEqual(ids.slice(1));
    expect(feed.updatesSince(ids[0] + 1)).toBeUndefined();
  });

  it('tells streams when upstream degrades and when it is back, keeping the last figures', async () => {
    const sink = await subscribe();
    upstream.failure = new AppError(
      'UPSTREAM_UNAVAILABLE',
      'CXone answered queueStats with HTTP 503',
    );
    await clock.advance(INTERVAL_MS);
    await clock.advance(INTERVAL_MS);
    expect(sink.events.map((e) => e.event)).toEqual(['snapshot', 'status']);
    expect(sink.events[1].data).toMatchObject({
      upstream: 'degraded',
      detail: 'CXone answered queueStats with HTTP 503',
    });
    expect(sink.events[1].id).toBeUndefined();
    expect(feed.state?.queues).toHaveLength(2);
    upstream.failure = undefined;
    await clock.advance(INTERVAL_MS);
    expect(sink.events.map((e) => e.event)).toEqual(['snapshot', 'status', 'status']);
    expect(sink.events[2].data).toMatchObject({ upstream: 'ok' });
  });

  it('gives waiting streams the poll error when no figures exist yet', async () => {
    upstream.failure = new AppError('UPSTREAM_TIMEOUT', 'CXone did not answer queueStats in time');
    await expect(feed.ready()).rejects.toMatchObject({ code: 'UPSTREAM_TIMEOUT' });
    expect(feed.hasDemand).toBe(false);
  });

  it('repairs a gap in ids from the shared state and sends a fresh snapshot', async () => {
    const sink = await subscribe();
    const current = feed.state;
    if (!current) throw new Error('no state');
    const later = {
      id: current.id + 50,
      asOf: current.asOf,
      queues: [row('q1', 77), row('q2', 20)],
    };
    // Another replica published an update we never received; the shared state has it.
    const skipped: FeedMessage = {
      kind: 'update',
      origin: 'other',
      previousId: current.id + 10,
      update: { id: later.id, asOf: later.asOf, queues: [row('q1', 77)] },
    };
    await bus.publish({ kind: 'tick', origin: 'other', id: current.id, asOf: current.asOf }, later);
    feed.apply(skipped);
    await clock.advance(0);
    const last = sink.events[sink.events.length - 1];
    expect(last.event).toBe('snapshot');
    expect(Number(last.id)).toBe(later.id);
    expect((last.data.queues as QueueStatsRow[])[0].waitTime).toBe(77);
  });
});
