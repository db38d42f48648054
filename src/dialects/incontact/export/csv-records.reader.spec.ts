import { Readable } from 'node:stream';
import type { ExportEntitySchema } from '../../../config/app-config.types';
import { WindowDownloadError } from '../../../export/export-pipeline';
import type { RecordBatch } from '../../../export/export.source';
import { readCsvRecords } from './csv-records.reader';
import { rowRecord } from '../../../export/export-pipeline';

const SCHEMA: ExportEntitySchema = {
  required: ['ACD Call ID', 'Segment ID', 'Start Date'],
  key: 'Segment ID',
  windowColumn: 'Start Date',
  types: {},
};
const DAY = Date.parse('2024-05-01T00:00:00Z');
const HEADER = 'ACD Call ID,Start Date,Agent 1 Name,Disposition,Segment ID';

/** The file split into `size`-byte chunks, so fields, quotes and UTF-8 sequences straddle them. */
function body(text: string, size = 7): Readable {
  const bytes = Buffer.from(text, 'utf8');
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return Readable.from(chunks);
}

async function readAll(text: string, schema = SCHEMA, size = 7, fromMs = DAY) {
  let outside = -1;
  const download = readCsvRecords(body(text, size), {
    schema,
    fromMs,
    toMs: fromMs + 86_400_000,
    maxBytes: 1 << 30,
    onOutsideWindow: (n) => (outside = n),
  });
  const batches: RecordBatch[] = [];
  for await (const batch of download.batches) batches.push(batch);
  const columns = download.columns();
  return {
    // Row lines, read back as the job's result reader reads them (against the columns).
    records: batches.flatMap((b) =>
      b.json.map((j) => rowRecord(JSON.parse(j) as unknown[], columns)),
    ),
    keys: batches.flatMap((b) => b.keys),
    schemaErrors: batches.reduce((n, b) => n + b.schemaErrors, 0),
    columns: download.columns(),
    keyColumn: download.keyColumn(),
    outside,
  };
}

describe('readCsvRecords', () => {
  it('strips the BOM and reads quoted commas, quotes, line breaks and UTF-8 across chunks', async () => {
    const text =
      `\uFEFF${HEADER}\r\n` +
      `700,2024-05-01T08:00:00.000Z,"Smith, John","Escalated\nTier 2",seg-1\r\n` +
      `701,2024-05-01T09:00:00.000Z,"O'Brien, Jack ""JJ""",Resolved,seg-2\r\n` +
      `702,2024-05-01T10:00:00.000Z,"Nguyễn, Anh",,seg-3\r\n`;
    for (const size of [1, 3, 64 * 1024]) {
      const out = await readAll(text, SCHEMA, size);
      expect(out.columns).toEqual(HEADER.split(','));
      expect(out.keys).toEqual(['seg-1', 'seg-2', 'seg-3']);
      expect(out.records[0]).toEqual({
        'ACD Call ID': '700',
        'Start Date': '2024-05-01T08:00:00.000Z',
        'Agent 1 Name': 'Smith, John',
        Disposition: 'Escalated\nTier 2',
        'Segment ID': 'seg-1',
      });
      expect(out.records[1]['Agent 1 Name']).toBe('O\'Brien, Jack "JJ"');
      expect(out.records[2]['Agent 1 Name']).toBe('Nguyễn, Anh');
      expect(out.records[2].Disposition).toBe('');
      expect(out.schemaErrors).toBe(0);
    }
  });

  it('counts rows with a wrong cell count or an empty required value as schema errors', async () => {
    const text =
      `${HEADER}\n` +
      `700,2024-05-01T08:00:00Z,A,B,seg-1\n` +
      `701,2024-05-01T08:00:00Z,A,B\n` + // one cell short
      `702,2024-05-01T08:00:00Z,A,B,seg-3,extra\n` + // one cell too many
      `,2024-05-01T08:00:00Z,A,B,seg-4\n` + // empty ACD Call ID
      `705,2024-05-01T08:00:00Z,A,B,  \n` + // blank key
      `706,,A,B,seg-6\n` + // empty Start Date
      `707,2024-05-01T08:00:00Z,A,B,seg-1\n`; // a duplicate key: kept here, the pipeline dedupes
    const out = await readAll(text);
    expect(out.keys).toEqual(['seg-1', 'seg-1']);
    expect(out.schemaErrors).toBe(5);
  });

  it('skips and counts rows outside the window: a zoned date exactly, a zone-less one under every offset', async () => {
    const text =
      `${HEADER}\n` +
      `700,2024-04-30T23:59:59.999Z,A,B,seg-0\n` + // zoned, before: skipped
      `701,2024-05-01T00:00:00.000Z,A,B,seg-1\n` +
      `702,2024-05-02T00:00:00.000+02:00,A,B,seg-2\n` + // zoned, 22:00Z: inside
      `703,2024-05-01T23:30:00-05:00,A,B,seg-3\n` + // zoned, 04:30Z the next day: skipped
      `704,2024-05-02T00:00:00.000Z,A,B,seg-4\n` + // zoned, at the end: skipped
      `705,4/30/2024 11:59:59 AM,A,B,seg-5\n` + // zone-less: even at UTC−12 before 00:00Z
      `706,4/30/2024 12:00:00 PM,A,B,seg-6\n` + // at UTC−12 it is 00:00Z: kept
      `707,2024-05-02T13:59:59.999,A,B,seg-7\n` + // at UTC+14 it is 23:59:59.999Z: kept
      `708,2024-05-02T14:00:00.000,A,B,seg-8\n` + // even at UTC+14 at the end: skipped
      `709,5/2/2024 1:59 PM,A,B,seg-9\n` + // minutes: 13:59:00 … 13:59:59 may be inside
      `710,2024-04-30,A,B,seg-10\n` + // a date alone: some of that day may be inside
      `711,2024-04-29,A,B,seg-11\n` + // none of it may
      `712,05/03/2024 12:00 AM,A,B\n` + // outside, and short: skipped before the cell check
      `713,not a date,A,B,seg-13\n`; // unreadable: kept (the format is not documented)
    const out = await readAll(text);
    expect(out.keys).toEqual(['seg-1', 'seg-2', 'seg-6', 'seg-7', 'seg-9', 'seg-10', 'seg-13']);
    expect(out.outside).toBe(7);
    expect(out.schemaErrors).toBe(0);
  });

  it("keeps a US-Eastern evening row of the day before that is the window's own", async () => {
    // Window = UTC day 2024-05-02; 9:30 PM on 5/1 in UTC−5 is 2024-05-02T01:30Z.
    const text = `${HEADER}\n700,5/1/2024 9:30:00 PM,A,B,seg-1\n701,5/1/2024 9:30:00 AM,A,B,seg-2\n`;
    const out = await readAll(text, SCHEMA, 7, DAY + 86_400_000);
    expect(out.keys).toEqual(['seg-1']);
    expect(out.outside).toBe(1);
  });

  it('finds schema columns by prefix, makes repeated names unique, and types declared columns', async () => {
    const schema: ExportEntitySchema = {
      required: ['ACD Call ID', 'Segment ID'],
      key: 'Segment',
      windowColumn: null,
      types: { 'Agent 1 ACD ID': 'integer', Recorded: 'boolean', Score: 'number' },
    };
    const text =
      `ACD Call ID (Contact),Segment ID,Agent 1 ACD ID,Recorded,Score,Note,Note\n` +
      `700,s1,1100101,True,4.5,a,b\n` +
      `701,s2,,false,,a,b\n` +
      `702,s3,11x,true,1,a,b\n`; // not an integer: schema error
    const out = await readAll(text, schema);
    // The key found by prefix: the header's own name is what the records are keyed by.
    expect(out.keyColumn).toBe('Segment ID');
    expect(out.columns).toEqual([
      'ACD Call ID (Contact)',
      'Segment ID',
      'Agent 1 ACD ID',
      'Recorded',
      'Score',
      'Note',
      'Note (2)',
    ]);
    expect(out.records).toEqual([
      {
        'ACD Call ID (Contact)': '700',
        'Segment ID': 's1',
        'Agent 1 ACD ID': 1100101,
        Recorded: true,
        Score: 4.5,
        Note: 'a',
        'Note (2)': 'b',
      },
      {
        'ACD Call ID (Contact)': '701',
        'Segment ID': 's2',
        'Agent 1 ACD ID': null,
        Recorded: false,
        Score: null,
        Note: 'a',
        'Note (2)': 'b',
      },
    ]);
    expect(out.schemaErrors).toBe(1);
  });

  it('keeps a stray quote after a quoted value as text instead of failing the file', async () => {
    const text = `${HEADER}\n700,2024-05-01T08:00:00Z,"A"x,B,seg-1\n701,2024-05-01T08:00:00Z,A,B,seg-2\n`;
    const out = await readAll(text);
    expect(out.keys).toEqual(['seg-1', 'seg-2']);
    expect(out.records[0]['Agent 1 Name']).toBe('"A"x');
    expect(out.schemaErrors).toBe(0);
  });

  it('fails the window when the file ends inside a quoted field, or lacks a schema column', async () => {
    const cut = `${HEADER}\n700,2024-05-01T08:00:00Z,"Smith, Jo`;
    await expect(readAll(cut)).rejects.toThrow(WindowDownloadError);
    await expect(readAll(cut)).rejects.toThrow(/ends inside a quoted field/);
    const noKey = `ACD Call ID,Start Date\n700,2024-05-01T08:00:00Z\n`;
    await expect(readAll(noKey)).rejects.toThrow(/no key column "Segment ID"|no required column/);
    await expect(readAll('')).rejects.toThrow(/no header row/);
  });

  it('refuses a file larger than the byte cap', async () => {
    const rows = Array.from({ length: 200 }, (_, i) => `${i},2024-05-01T08:00:00Z,A,B,s${i}`);
    const download = readCsvRecords(body(`${HEADER}\n${rows.join('\n')}\n`, 256), {
      schema: SCHEMA,
      fromMs: DAY,
      toMs: DAY + 86_400_000,
      maxBytes: 2048,
    });
    const drain = async () => {
      for await (const batch of download.batches) void batch;
    };
    await expect(drain()).rejects.toThrow(/larger than EXPORT_MAX_DECOMPRESSED_BYTES/);
  });
});
