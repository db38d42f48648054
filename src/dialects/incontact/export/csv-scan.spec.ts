import { PassThrough, Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { CompactKeySet } from '../../../common/collections/compact-key-set';
import type { ExportEntitySchema } from '../../../config/app-config.types';
import { readWindowRecords, WindowDownloadError } from '../../../export/export-pipeline';
import { runRecordPipeline } from '../../../export/record-stream.pipeline';
import { readCsvRecords } from './csv-records.reader';

const SCHEMA: ExportEntitySchema = {
  required: ['ACD Call ID', 'Segment ID', 'Start Date'],
  key: 'Segment ID',
  windowColumn: 'Start Date',
  types: { 'Agent ACD ID': 'integer' },
};
const DAY = Date.parse('2024-05-01T00:00:00Z');
const HEADER = 'ACD Call ID,Start Date,Agent ACD ID,Agent Name,Disposition,Segment ID';
const NAMES = ['"Smith, John"', '"O\'Brien, Jack ""JJ"""', 'Nguyễn', '"Müller, Jürgen"'];
const DISPOSITIONS = ['Resolved', '"Escalated\nTier 2"', '', '"Sale, upsell"'];

/** A file of the sandbox's kind: BOM, CRLF, quoted cells, duplicates, broken and outside rows. */
function file(rows: number, dayOffset = 0): string {
  const lines = [`\uFEFF${HEADER}`];
  for (let i = 0; i < rows; i += 1) {
    const at = new Date(DAY + dayOffset + i * 1000).toISOString();
    const cells = [
      String(700 + i),
      i % 97 === 5 ? '' : at,
      i % 89 === 3 ? 'x' : String(1100 + (i % 7)),
      NAMES[i % NAMES.length],
      DISPOSITIONS[i % DISPOSITIONS.length],
      `seg-${i % 53 === 7 ? i - 1 : i}`,
    ];
    if (i % 71 === 9) cells.pop();
    if (i % 113 === 2) cells.push('"extra, cell"');
    lines.push(cells.join(','));
  }
  lines.push(`999,2024-05-02T00:00:00.000Z,1,A,B,seg-next-day`);
  return `${lines.join('\r\n')}\r\n`;
}

function body(text: string, size: number): Readable {
  const bytes = Buffer.from(text, 'utf8');
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return Readable.from(chunks);
}

/** One window through the export pipeline, hosted (the CSV scan worker) or in this thread. */
async function run(
  text: string,
  hosted: boolean,
  options: { size?: number; seen?: string[]; maxBytes?: number } = {},
) {
  let outside = -1;
  const download = readCsvRecords(body(text, options.size ?? 4096), {
    schema: SCHEMA,
    fromMs: DAY,
    toMs: DAY + 86_400_000,
    maxBytes: options.maxBytes ?? 1 << 30,
    onOutsideWindow: (n) => (outside = n),
  });
  if (!hosted) delete download.hosted;
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (c: Buffer) => chunks.push(c));
  const result = await runRecordPipeline({
    download,
    seen: CompactKeySet.of(options.seen ?? []),
    sink,
  });
  const gzip = Buffer.concat(chunks);
  return { ...result, gzip, ndjson: gunzipSync(gzip).toString('utf8'), outside };
}

describe('the CSV scan worker (readCsvRecords hosted)', () => {
  it('writes byte for byte the gzip NDJSON and the counts of reading the file in this thread', async () => {
    const text = file(5000);
    const inThread = await run(text, false, { seen: ['seg-10', 'seg-11'] });
    const hosted = await run(text, true, { seen: ['seg-10', 'seg-11'], size: 1000 });
    expect(hosted.counts).toEqual(inThread.counts);
    expect(hosted.gzip.equals(inThread.gzip)).toBe(true);
    expect(hosted.columns).toEqual(HEADER.split(','));
    expect(hosted.outside).toBe(1);
    expect([...hosted.ids].sort()).toEqual([...inThread.ids].sort());
    // The counts themselves, from the file's construction.
    const { counts } = hosted;
    expect(counts.received).toBe(5000);
    expect(counts.received).toBe(counts.valid + counts.duplicates + counts.schemaErrors);
    expect(counts.duplicates).toBeGreaterThan(2);
    expect(counts.schemaErrors).toBeGreaterThan(100);
    const lines = hosted.ndjson.trim().split('\n');
    expect(lines).toHaveLength(counts.valid);
    // Row lines: each record's values in header order, keyed again when the window is read.
    expect(JSON.parse(lines[0])).toEqual([
      '700',
      '2024-05-01T00:00:00.000Z',
      1100,
      'Smith, John',
      'Resolved',
      'seg-0',
    ]);
    const records: Record<string, unknown>[] = [];
    for await (const r of readWindowRecords(Readable.from([hosted.gzip]), hosted.columns))
      records.push(r);
    expect(records).toHaveLength(counts.valid);
    expect(records[0]).toEqual({
      'ACD Call ID': '700',
      'Start Date': '2024-05-01T00:00:00.000Z',
      'Agent ACD ID': 1100,
      'Agent Name': 'Smith, John',
      Disposition: 'Resolved',
      'Segment ID': 'seg-0',
    });
    expect(hosted.ndjson).not.toContain('"seg-10"');
  });

  it('fails the window with the same WindowDownloadError messages as in this thread', async () => {
    const cases: [string, string, number?][] = [
      [`${HEADER}\n700,2024-05-01T08:00:00Z,1,"Smith, Jo`, 'cut inside quotes'],
      ['', 'no header'],
      ['ACD Call ID,Start Date\n700,2024-05-01T08:00:00Z\n', 'no key column'],
      [file(300), 'too large', 2048],
    ];
    for (const [text, why, maxBytes] of cases) {
      const inThread = await run(text, false, { maxBytes }).catch((err: Error) => err);
      const hosted = await run(text, true, { maxBytes, size: 100 }).catch((err: Error) => err);
      expect({ why, hosted }).toEqual({ why, hosted: expect.any(WindowDownloadError) });
      expect({ why, message: (hosted as Error).message }).toEqual({
        why,
        message: (inThread as Error).message,
      });
    }
  });
});
