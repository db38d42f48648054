import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import {
  readWindowIds,
  readWindowRecords,
  runWindowPipeline,
  WindowDownloadError,
} from './export-pipeline';

const rec = (id: string, extra: object = {}) => ({
  id,
  type: 'bot',
  dateFrom: '2024-01-01T00:00:00.000Z',
  dateTo: '2024-01-01T00:01:00.000Z',
  botId: 'b',
  agentId: 'a',
  duration: 60,
  ...extra,
});

/** A body stream delivering `bytes` in chunks of `chunk` bytes. */
function body(bytes: Buffer, chunk = 7): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunk) parts.push(bytes.subarray(i, i + chunk));
  return Readable.from(parts, { objectMode: false });
}

describe('runWindowPipeline', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'cxgw-pipeline-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function run(
    bytes: Buffer,
    opts: { headers?: Record<string, string>; seen?: string[]; max?: number } = {},
  ) {
    const tempFile = join(dir, 'w.ndjson.gz.tmp');
    const result = await runWindowPipeline({
      body: body(bytes),
      headers: opts.headers ?? {},
      seen: new Set(opts.seen ?? []),
      sink: createWriteStream(tempFile),
      maxDecompressedBytes: opts.max ?? 1 << 30,
    });
    const written: unknown[] = [];
    for await (const r of readWindowRecords(createReadStream(tempFile))) written.push(r);
    return { ...result, written };
  }

  const input = [
    rec('1'),
    rec('2'),
    rec('1'), // intra-window duplicate
    { ...rec('3'), duration: '5' }, // schema error
    rec('4', { note: 'multi\nline' }),
    'not a record', // schema error
    rec('seen-before'), // cross-window duplicate
  ];

  it('validates, de-duplicates and counts: received = valid + duplicates + schemaErrors', async () => {
    const { counts, ids, written } = await run(Buffer.from(JSON.stringify(input)), {
      seen: ['seen-before'],
    });
    expect(counts).toEqual({ received: 7, valid: 3, duplicates: 2, schemaErrors: 2 });
    expect(counts.received).toBe(counts.valid + counts.duplicates + counts.schemaErrors);
    expect([...ids]).toEqual(['1', '2', '4']);
    expect(written).toEqual([rec('1'), rec('2'), rec('4', { note: 'multi\nline' })]);
  });

  it('re-serializes pretty-printed records onto one line each', async () => {
    const { written } = await run(Buffer.from(JSON.stringify([rec('1'), rec('2')], null, 2)));
    expect(written).toEqual([rec('1'), rec('2')]);
  });

  it.each([
    ['Content-Type', { 'content-type': 'application/gzip' }],
    ['Content-Encoding', { 'content-type': 'application/json', 'content-encoding': 'gzip' }],
    ['magic bytes only', { 'content-type': 'application/octet-stream' }],
  ])('inflates gzip announced by %s', async (_name, headers) => {
    const { counts } = await run(gzipSync(Buffer.from(JSON.stringify(input))), { headers });
    expect(counts.received).toBe(7);
  });

  it('fails on a truncated gzip stream', async () => {
    const gz = gzipSync(Buffer.from(JSON.stringify(input)));
    await expect(run(gz.subarray(0, gz.length - 20))).rejects.toThrow(WindowDownloadError);
    await expect(run(gz.subarray(0, gz.length - 20))).rejects.toThrow(/gzip|truncated/);
  });

  it('fails on malformed JSON', async () => {
    await expect(run(Buffer.from('[{"id":"1"},{"id":<!-- 502'))).rejects.toThrow(/malformed JSON/);
  });

  it('fails on a non-array body', async () => {
    await expect(run(Buffer.from('{"error":"nope"}'))).rejects.toThrow(WindowDownloadError);
  });

  it('fails when the inflated size exceeds the cap (gzip bomb)', async () => {
    const bomb = gzipSync(
      Buffer.from(`[${JSON.stringify(rec('x', { pad: ' '.repeat(200_000) }))}]`),
    );
    expect(bomb.length).toBeLessThan(2000);
    await expect(run(bomb, { max: 100_000 })).rejects.toThrow(/EXPORT_MAX_DECOMPRESSED_BYTES/);
  });

  it('de-duplicates across windows, also with a seen-set rebuilt from committed files', async () => {
    const w1 = join(dir, 'window-0.ndjson.gz');
    const first = await runWindowPipeline({
      body: body(Buffer.from(JSON.stringify([rec('a'), rec('b'), rec('b')]))),
      headers: {},
      seen: new Set(),
      sink: createWriteStream(w1),
      maxDecompressedBytes: 1 << 20,
    });
    // As on resume: the seen-set comes from the committed window file, not from memory.
    const rebuilt = new Set<string>();
    for await (const recordId of readWindowIds(createReadStream(w1))) rebuilt.add(recordId);
    expect(rebuilt).toEqual(first.ids);
    const second = await runWindowPipeline({
      body: body(Buffer.from(JSON.stringify([rec('b'), rec('c'), rec('a'), rec('c')]))),
      headers: {},
      seen: rebuilt,
      sink: createWriteStream(join(dir, 'window-1.ndjson.gz')),
      maxDecompressedBytes: 1 << 20,
    });
    expect(first.counts).toEqual({ received: 3, valid: 2, duplicates: 1, schemaErrors: 0 });
    expect(second.counts).toEqual({ received: 4, valid: 1, duplicates: 3, schemaErrors: 0 });
    expect([...second.ids]).toEqual(['c']);
  });

  it('passes an empty array', async () => {
    const { counts, written } = await run(Buffer.from('[]'));
    expect(counts).toEqual({ received: 0, valid: 0, duplicates: 0, schemaErrors: 0 });
    expect(written).toEqual([]);
  });

  it('stops with the abort reason when cancelled', async () => {
    const controller = new AbortController();
    const reason = new Error('cancelled');
    controller.abort(reason);
    await expect(
      runWindowPipeline({
        body: body(Buffer.from('[1]')),
        headers: {},
        seen: new Set(),
        sink: createWriteStream(join(dir, 'x.tmp')),
        maxDecompressedBytes: 1000,
        signal: controller.signal,
      }),
    ).rejects.toBe(reason);
  });
});
