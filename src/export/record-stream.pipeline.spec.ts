import { PassThrough, Writable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { CompactKeySet } from '../common/collections/compact-key-set';
import type { ParsedDownload, RecordBatch } from './export.source';
import { WindowDownloadError } from './export-pipeline';
import { runRecordPipeline } from './record-stream.pipeline';

function download(batches: RecordBatch[] | (() => AsyncGenerator<RecordBatch>)): ParsedDownload & {
  destroyed: () => boolean;
} {
  let destroyed = false;
  const source = Array.isArray(batches)
    ? (async function* () {
        await Promise.resolve();
        yield* batches;
      })()
    : batches();
  return {
    kind: 'records',
    batches: source,
    columns: () => ['Segment ID', 'Note'],
    keyColumn: () => 'Segment ID',
    destroy: () => (destroyed = true),
    destroyed: () => destroyed,
  };
}

const rec = (id: string, note = 'n') => ({ 'Segment ID': id, Note: note });
const batch = (ids: string[], schemaErrors = 0): RecordBatch => ({
  json: ids.map((id) => JSON.stringify(rec(id))),
  keys: ids,
  schemaErrors,
});

function collector(): { sink: Writable; lines: () => Record<string, unknown>[] } {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (c: Buffer) => chunks.push(c));
  return {
    sink,
    lines: () =>
      gunzipSync(Buffer.concat(chunks))
        .toString('utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('runRecordPipeline', () => {
  it('counts, de-duplicates by key within the window and against committed keys, and writes NDJSON', async () => {
    const out = collector();
    const result = await runRecordPipeline({
      download: download([batch(['a', 'b', 'a'], 2), batch(['c', 'old', 'b'], 1)]),
      seen: CompactKeySet.of(['old']),
      sink: out.sink,
    });
    expect(result.counts).toEqual({ received: 9, valid: 3, duplicates: 3, schemaErrors: 3 });
    expect([...['a', 'b', 'c']].every((k) => result.ids.has(k))).toBe(true);
    expect(result.ids.has('old')).toBe(false);
    expect(result.columns).toEqual(['Segment ID', 'Note']);
    expect(out.lines()).toEqual([rec('a'), rec('b'), rec('c')]);
  });

  it('keeps a record with a line break in a value on one NDJSON line', async () => {
    const out = collector();
    await runRecordPipeline({
      download: download([
        { json: [JSON.stringify(rec('a', 'two\nlines'))], keys: ['a'], schemaErrors: 0 },
      ]),
      seen: new CompactKeySet(),
      sink: out.sink,
    });
    expect(out.lines()).toEqual([rec('a', 'two\nlines')]);
  });

  it('turns a failing download into a WindowDownloadError and stops it', async () => {
    const failing = download(async function* () {
      yield await Promise.resolve(batch(['a']));
      throw new Error('socket hang up');
    });
    const out = collector();
    const run = runRecordPipeline({ download: failing, seen: new CompactKeySet(), sink: out.sink });
    await expect(run).rejects.toThrow(WindowDownloadError);
    await expect(run).rejects.toThrow('download failed: socket hang up');
    expect(failing.destroyed()).toBe(true);
  });
});
