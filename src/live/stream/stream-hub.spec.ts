import { Writable } from 'node:stream';
import { FakeClock } from '../../common/clock/fake-clock.fake';
import type { FeedState } from '../feed/queue-feed.types';
import { StreamHub } from './stream-hub';

/** A sink that reads everything at once (a healthy client). */
class ReadingSink extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** A sink whose client never reads: every byte written stays buffered. */
class StalledSink extends Writable {
  constructor() {
    super({ highWaterMark: 1024 });
  }
  override _write(): void {
    // Never calls back: the data stays in writableLength, as on a socket nobody reads.
  }
}

const row = (queueId: string, waitTime: number) => ({
  queueId,
  queueName: `Queue ${queueId}`,
  timestamp: '2026-01-15T12:00:00.000Z',
  waitTime,
});

const STATE: FeedState = {
  id: 100,
  asOf: '2026-01-15T12:00:00.000Z',
  queues: [row('q1', 1), row('q2', 2)],
};

describe('StreamHub', () => {
  let clock: FakeClock;
  let drops: number;
  let sut: StreamHub;

  beforeEach(() => {
    clock = new FakeClock();
    drops = 0;
    sut = new StreamHub(
      clock,
      { heartbeatMs: 15_000, maxBufferedBytes: 4096 },
      { dropped: () => (drops += 1) },
    );
  });

  it('writes a comment heartbeat to every stream every 15 s of clock time, events or not', async () => {
    const a = new ReadingSink();
    const b = new ReadingSink();
    sut.add('k', null, a);
    await clock.advance(14_999);
    expect(a.text).toBe('');
    await clock.advance(1);
    expect(a.text).toBe(': heartbeat\n\n');
    sut.add('k', ['q1'], b);
    sut.broadcastUpdate({ id: 101, asOf: STATE.asOf, queues: [row('q1', 5)] });
    await clock.advance(15_000);
    expect(a.text.match(/: heartbeat/g)).toHaveLength(2);
    expect(b.text).toContain('event: update');
    expect(b.text.endsWith(': heartbeat\n\n')).toBe(true);
  });

  it('encodes snapshots and updates per filter, skipping subscribers none of whose queues changed', () => {
    const all = new ReadingSink();
    const onlyQ2 = new ReadingSink();
    const everyone = sut.add('k', null, all);
    const q2 = sut.add('k', ['q2'], onlyQ2);
    sut.sendSnapshot(everyone, STATE);
    sut.sendSnapshot(q2, STATE);
    sut.broadcastUpdate({ id: 101, asOf: '2026-01-15T12:00:05.000Z', queues: [row('q1', 9)] });
    expect(all.text).toBe(
      `id: 100\nevent: snapshot\ndata: ${JSON.stringify({ asOf: STATE.asOf, queues: STATE.queues })}\n\n` +
        `id: 101\nevent: update\ndata: ${JSON.stringify({ asOf: '2026-01-15T12:00:05.000Z', queues: [row('q1', 9)] })}\n\n`,
    );
    expect(onlyQ2.text).toBe(
      `id: 100\nevent: snapshot\ndata: ${JSON.stringify({ asOf: STATE.asOf, queues: [row('q2', 2)] })}\n\n`,
    );
  });

  it('drops a client that stops reading once its unsent bytes would pass the bound', () => {
    const stalled = new StalledSink();
    const healthy = new ReadingSink();
    const slow = sut.add('k', null, stalled);
    sut.add('k', null, healthy);
    sut.sendSnapshot(slow, STATE);
    let sent = 0;
    while (sut.size === 2 && sent < 100) {
      sut.broadcastUpdate({ id: 101 + sent, asOf: STATE.asOf, queues: [row('q1', sent)] });
      sent += 1;
    }
    expect(sut.size).toBe(1);
    expect(drops).toBe(1);
    expect(stalled.destroyed).toBe(true);
    expect(stalled.writableLength).toBeLessThanOrEqual(4096);
    expect(healthy.text.match(/event: update/g)).toHaveLength(sent);
    expect(sut.countFor('k')).toBe(1);
  });

  it('counts streams per key and ends them all at shutdown', () => {
    const sinks = [new ReadingSink(), new ReadingSink(), new ReadingSink()];
    sut.add('a', null, sinks[0]);
    sut.add('a', null, sinks[1]);
    const b = sut.add('b', null, sinks[2]);
    expect([sut.countFor('a'), sut.countFor('b')]).toEqual([2, 1]);
    sut.remove(b);
    expect(sut.countFor('b')).toBe(0);
    sut.closeAll();
    expect(sut.size).toBe(0);
    expect(sinks.map((s) => s.writableEnded)).toEqual([true, true, false]);
  });
});
