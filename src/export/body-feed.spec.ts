import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import {
  BodyFeed,
  DownloadTooLargeError,
  INFLATED_CHUNK_BYTES,
  type BodyFeedTarget,
} from './body-feed';

interface Fed {
  chunks: { data: Buffer; bodyBytes: number; buffer: ArrayBufferLike }[];
  ended: number;
  error?: unknown;
}

/** A target that copies what it gets (the feed may refill a buffer once it is recycled). */
function recorder(onChunk?: (data: Uint8Array, fed: Fed) => void) {
  const fed: Fed = { chunks: [], ended: 0 };
  let settle: () => void = () => undefined;
  const settled = new Promise<void>((resolve) => (settle = resolve));
  const target: BodyFeedTarget = {
    chunk: (data, bodyBytes) => {
      fed.chunks.push({ data: Buffer.from(data), bodyBytes, buffer: data.buffer });
      onChunk?.(data, fed);
    },
    end: () => {
      fed.ended += 1;
      settle();
    },
    fail: (err) => {
      fed.error = err;
      settle();
    },
  };
  return { fed, target, settled };
}

/** A body read in pieces of `size` bytes, each in a buffer of its own (as a socket's reads). */
function bodyOf(bytes: Buffer, size: number): Readable {
  const parts: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size)
    parts.push(Buffer.from(bytes.subarray(at, at + size)));
  return Readable.from(parts, { objectMode: false });
}

function jsonArray(records: number): Buffer {
  const items = Array.from({ length: records }, (_, i) => ({
    id: `r${i}`,
    n: i,
    text: 'x'.repeat(i % 97),
  }));
  return Buffer.from(JSON.stringify(items));
}

const decode = { gzipHeader: false, maxDecompressedBytes: 1 << 30 };

describe('BodyFeed', () => {
  it('hands a body it need not decode on as it came, counting its bytes', async () => {
    const { fed, target, settled } = recorder();
    const plain = Buffer.from('[{"id":"a"},{"id":"b"}]');
    new BodyFeed({ body: bodyOf(plain, 5), target });
    await settled;
    expect(fed.chunks.map((c) => c.data.length)).toEqual([5, 5, 5, 5, 3]);
    expect(fed.chunks.map((c) => c.bodyBytes)).toEqual([5, 10, 15, 20, 23]);
    expect(joined(fed).equals(plain)).toBe(true);
    expect(fed.ended).toBe(1);
  });

  it('inflates a gzip body found by its magic bytes into full buffers of its own, with the compressed bytes read', async () => {
    const plain = jsonArray(20_000);
    const compressed = gzipSync(plain);
    const { fed, target, settled } = recorder();
    new BodyFeed({ body: bodyOf(compressed, 16 * 1024), target, decode });
    await settled;
    expect(joined(fed).equals(plain)).toBe(true);
    expect(fed.chunks.length).toBeGreaterThan(2);
    expect(fed.chunks.slice(0, -1).every((c) => c.data.length === INFLATED_CHUNK_BYTES)).toBe(true);
    // Each in a buffer of its own (zlib's slices share its output buffers).
    expect(new Set(fed.chunks.map((c) => c.buffer)).size).toBe(fed.chunks.length);
    const progress = fed.chunks.map((c) => c.bodyBytes);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress[0]).toBeLessThan(compressed.length);
    expect(progress.at(-1)).toBe(compressed.length);
    expect(fed.ended).toBe(1);
  });

  it('finds the gzip magic split over two one-byte reads', async () => {
    const plain = jsonArray(50);
    const { fed, target, settled } = recorder();
    new BodyFeed({ body: bodyOf(gzipSync(plain), 1), target, decode });
    await settled;
    expect(joined(fed).equals(plain)).toBe(true);
  });

  it('fails with zlib’s error when the header says gzip and the body is not', async () => {
    const { fed, target, settled } = recorder();
    const body = bodyOf(Buffer.from('[{"id":"a"}]'), 4);
    new BodyFeed({ body, target, decode: { ...decode, gzipHeader: true } });
    await settled;
    expect((fed.error as NodeJS.ErrnoException).code).toMatch(/^Z_/);
    expect(fed.ended).toBe(0);
  });

  it('fails on a truncated gzip body', async () => {
    const compressed = gzipSync(jsonArray(2_000));
    const { fed, target, settled } = recorder();
    new BodyFeed({
      body: bodyOf(compressed.subarray(0, compressed.length - 20), 4096),
      target,
      decode,
    });
    await settled;
    expect((fed.error as NodeJS.ErrnoException).code).toMatch(/^Z_/);
    expect(fed.ended).toBe(0);
  });

  it('refuses a body that inflates beyond the cap', async () => {
    const { fed, target, settled } = recorder();
    const body = bodyOf(gzipSync(Buffer.alloc(4 * INFLATED_CHUNK_BYTES, 0x20)), 1024);
    new BodyFeed({
      body,
      target,
      decode: { ...decode, maxDecompressedBytes: 3 * INFLATED_CHUNK_BYTES },
    });
    await settled;
    expect(fed.error).toBeInstanceOf(DownloadTooLargeError);
    expect(fed.chunks).toHaveLength(3);
  });

  it('hands nothing more on while paused, and everything once resumed', async () => {
    const plain = jsonArray(20_000);
    const ref: { feed?: BodyFeed } = {};
    let paused: () => void = () => undefined;
    const pausedOnce = new Promise<void>((resolve) => (paused = resolve));
    const { fed, target, settled } = recorder((_data, f) => {
      if (f.chunks.length !== 1) return;
      ref.feed?.pause();
      paused();
    });
    const feed = new BodyFeed({ body: bodyOf(gzipSync(plain), 16 * 1024), target, decode });
    ref.feed = feed;
    await pausedOnce;
    for (let turn = 0; turn < 50; turn += 1) await nextTurn();
    // The slice being copied when it paused may complete one more buffer, no more.
    expect(fed.chunks.length).toBeLessThanOrEqual(2);
    expect(fed.ended).toBe(0);
    feed.resume();
    await settled;
    expect(fed.chunks.length).toBeGreaterThan(2);
    expect(joined(fed).equals(plain)).toBe(true);
  });

  it('fills a buffer handed back again instead of allocating one', async () => {
    const plain = jsonArray(20_000);
    const ref: { feed?: BodyFeed } = {};
    const buffers: ArrayBufferLike[] = [];
    const { fed, target, settled } = recorder((data) => {
      buffers.push(data.buffer);
      ref.feed?.recycle([data.buffer as ArrayBuffer]);
    });
    const feed = new BodyFeed({ body: bodyOf(gzipSync(plain), 16 * 1024), target, decode });
    ref.feed = feed;
    await settled;
    expect(joined(fed).equals(plain)).toBe(true);
    expect(new Set(buffers).size).toBe(1);
  });
});

/** Everything handed on, in order (compared with equals: toEqual walks a buffer byte by byte). */
function joined(fed: Fed): Buffer {
  return Buffer.concat(fed.chunks.map((c) => c.data));
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
