import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { CompactKeySet } from '../common/collections/compact-key-set';
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

// Every run goes through the real scan worker (started from TypeScript here, ≈ 0.3 s each).
jest.setTimeout(30_000);

describe('runWindowPipeline', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'cxgw-pipeline-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function run(
    bytes: Buffer,
    opts: { headers?: Record<string, string>; seen?: string[]; max?: number; chunk?: number } = {},
  ) {
    const tempFile = join(dir, 'w.ndjson.gz.tmp');
    const result = await runWindowPipeline({
      body: body(bytes, opts.chunk),
      headers: opts.headers ?? {},
      seen: CompactKeySet.of(opts.seen ?? []),
      sink: createWriteStream(tempFile),
      maxDecompressedBytes: opts.max ?? 1 << 30,
    });
    const written: unknown[] = [];
    for await (const r of readWindowRecords(createReadStream(tempFile))) written.push(r);
    const ndjson = gunzipSync(readFileSync(tempFile)).toString('utf8');
    return { ...result, written, ndjson };
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
    expect(new Set(ids)).toEqual(new Set(['1', '2', '4']));
    expect(written).toEqual([rec('1'), rec('2'), rec('4', { note: 'multi\nline' })]);
  });

  it('writes each record’s source text verbatim, one per line (escapes, spacing, UTF-8 kept)', async () => {
    const texts = [
      '{"id":"é-1","type":"bot","dateFrom":"a","dateTo":"b","botId":"\\u00e9","agentId":"x","duration":1.50}',
      '{ "id" : "2", "type":"bot","dateFrom":"a","dateTo":"b","botId":"😀","agentId":"x","duration":2e1 }',
    ];
    const { ndjson } = await run(
      Buffer.from(`[${texts.join(',')} ,\n${texts[0].replace('é-1', '3')}]`),
    );
    expect(ndjson).toBe(`${texts[0]}\n${texts[1]}\n${texts[0].replace('é-1', '3')}\n`);
  });

  it('writes a record with an invalid UTF-8 byte as its decoded text (U+FFFD), as before', async () => {
    const bytes = Buffer.concat([
      Buffer.from('[{"id":"1","type":"b'),
      Buffer.from([0xff]),
      Buffer.from('t","dateFrom":"a","dateTo":"b","botId":"c","agentId":"d","duration":1}]'),
    ]);
    const { ndjson } = await run(bytes);
    expect(ndjson).toBe(
      '{"id":"1","type":"b\ufffdt","dateFrom":"a","dateTo":"b","botId":"c","agentId":"d","duration":1}\n',
    );
  });

  it('re-serializes pretty-printed records onto one line each', async () => {
    const { written } = await run(Buffer.from(JSON.stringify([rec('1'), rec('2')], null, 2)));
    expect(written).toEqual([rec('1'), rec('2')]);
  });

  it('keeps order and counts over many chunks (20 000 records, gzip, 64 KiB body chunks)', async () => {
    const records = Array.from({ length: 20_000 }, (_, i) => rec(`r${i % 15_000}`, { n: i }));
    const { counts, written } = await run(gzipSync(Buffer.from(JSON.stringify(records))), {
      chunk: 64 * 1024,
    });
    expect(counts).toEqual({ received: 20_000, valid: 15_000, duplicates: 5_000, schemaErrors: 0 });
    expect(written).toEqual(records.slice(0, 15_000));
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
    await expect(run(gz.subarray(0, gz.length - 20))).rejects.toThrow(
      /^corrupt or truncated gzip: unexpected end of file$/,
    );
  });

  it('fails on malformed JSON', async () => {
    await expect(run(Buffer.from('[{"id":"1"},{"id":<!-- 502'))).rejects.toThrow(
      'malformed JSON: truncated input: the JSON array is not closed',
    );
    await expect(run(Buffer.from('[{"id":"1"},{"id":<!-- 502 -->}]'))).rejects.toThrow(
      /^malformed JSON: invalid JSON in array element 2: .* \(near byte 12\)$/,
    );
  });

  it('fails on a non-array body', async () => {
    await expect(run(Buffer.from('{"error":"nope"}'))).rejects.toThrow(
      'malformed JSON: not a JSON array (near byte 0)',
    );
  });

  it('fails when the inflated size exceeds the cap (gzip bomb)', async () => {
    const bomb = gzipSync(
      Buffer.from(`[${JSON.stringify(rec('x', { pad: ' '.repeat(200_000) }))}]`),
    );
    expect(bomb.length).toBeLessThan(2000);
    await expect(run(bomb, { max: 100_000 })).rejects.toThrow(
      'the download inflates beyond EXPORT_MAX_DECOMPRESSED_BYTES (100000 bytes)',
    );
  });

  it('fails with the transport error when the body breaks mid-download', async () => {
    const broken = new PassThrough();
    const sink = createWriteStream(join(dir, 'x.tmp'));
    const done = runWindowPipeline({
      body: broken,
      headers: {},
      seen: new CompactKeySet(),
      sink,
      maxDecompressedBytes: 1 << 20,
    });
    broken.write('[{"id":"1"},');
    setImmediate(() => broken.destroy(new Error('socket hang up')));
    await expect(done).rejects.toThrow('download failed: socket hang up');
    expect(sink.destroyed).toBe(true);
  });

  it('fails when the sink cannot be written', async () => {
    const sink = new Writable({ write: (_chunk, _enc, cb) => cb(new Error('ENOSPC: disk full')) });
    await expect(
      runWindowPipeline({
        body: body(Buffer.from(JSON.stringify([rec('1')]))),
        headers: {},
        seen: new CompactKeySet(),
        sink,
        maxDecompressedBytes: 1 << 20,
      }),
    ).rejects.toThrow('download failed: ENOSPC: disk full');
  });

  it('de-duplicates across windows, also with a seen-set rebuilt from committed files', async () => {
    const w1 = join(dir, 'window-0.ndjson.gz');
    const first = await runWindowPipeline({
      body: body(Buffer.from(JSON.stringify([rec('a'), rec('b'), rec('b')]))),
      headers: {},
      seen: new CompactKeySet(),
      sink: createWriteStream(w1),
      maxDecompressedBytes: 1 << 20,
    });
    // As on resume: the seen-set comes from the committed window file, not from memory.
    const rebuilt = new CompactKeySet();
    for await (const recordId of readWindowIds(createReadStream(w1))) rebuilt.add(recordId);
    expect(new Set(rebuilt)).toEqual(new Set(first.ids));
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
    rebuilt.addAll(second.ids);
    expect(new Set(rebuilt)).toEqual(new Set(['a', 'b', 'c']));
  });

  it('passes an empty array', async () => {
    const { counts, written } = await run(Buffer.from('[]'));
    expect(counts).toEqual({ received: 0, valid: 0, duplicates: 0, schemaErrors: 0 });
    expect(written).toEqual([]);
  });

  it('stops with the abort reason when cancelled before it starts', async () => {
    const controller = new AbortController();
    const reason = new Error('cancelled');
    controller.abort(reason);
    await expect(
      runWindowPipeline({
        body: body(Buffer.from('[1]')),
        headers: {},
        seen: new CompactKeySet(),
        sink: createWriteStream(join(dir, 'x.tmp')),
        maxDecompressedBytes: 1000,
        signal: controller.signal,
      }),
    ).rejects.toBe(reason);
  });

  it('stops with the abort reason when cancelled mid-download, destroying body and sink', async () => {
    const controller = new AbortController();
    const reason = new Error('cancelled');
    const slow = new PassThrough();
    const sink = createWriteStream(join(dir, 'x.tmp'));
    const done = runWindowPipeline({
      body: slow,
      headers: {},
      seen: new CompactKeySet(),
      sink,
      maxDecompressedBytes: 1 << 20,
      signal: controller.signal,
    });
    slow.write(`[${JSON.stringify(rec('1'))},`);
    setImmediate(() => controller.abort(reason));
    await expect(done).rejects.toBe(reason);
    expect(slow.destroyed).toBe(true);
    expect(sink.destroyed).toBe(true);
  });
});

describe('readWindowRecords', () => {
  const file = (lines: unknown[]) =>
    Readable.from([gzipSync(lines.map((l) => `${JSON.stringify(l)}\n`).join(''))]);

  async function readAll(lines: unknown[], columns?: string[]) {
    const out: Record<string, unknown>[] = [];
    for await (const r of readWindowRecords(file(lines), columns)) out.push(r);
    return out;
  }

  it('keys row lines by the window columns and keeps object lines as they are', async () => {
    const records = await readAll(
      [['s1', 7, null], { id: 'x' }, ['s2', 8, 'a']],
      ['Seg', 'N', 'Note'],
    );
    expect(records).toEqual([
      { Seg: 's1', N: 7, Note: null },
      { id: 'x' },
      { Seg: 's2', N: 8, Note: 'a' },
    ]);
  });

  it('refuses a row line the window columns do not fit, rather than shifting fields', async () => {
    await expect(readAll([['s1', 7]], ['Seg', 'N', 'Note'])).rejects.toThrow(
      /row of 2 values but its state lists 3 columns/,
    );
    await expect(readAll([['s1']])).rejects.toThrow(/lists 0 columns/);
  });

  it('reads the de-duplication keys of row lines through the columns', async () => {
    const ids: string[] = [];
    for await (const id of readWindowIds(
      file([
        ['a', 's1'],
        ['b', 's2'],
      ]),
      'Seg',
      ['X', 'Seg'],
    ))
      ids.push(id);
    expect(ids).toEqual(['s1', 's2']);
  });
});
