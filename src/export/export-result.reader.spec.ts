import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { ExportJobStore } from './export-job.store';
import { ExportResultReader } from './export-result.reader';
import type { ExportJobState, ExportWindowState } from './export.types';

const gzipLines = (lines: unknown[]) =>
  gzipSync(lines.map((l) => `${JSON.stringify(l)}\n`).join(''));

/** The job store's result files, from memory (the reader only opens them). */
function storeOf(files: Map<number, Buffer>): ExportJobStore {
  return {
    openResultReader: (_id: string, index: number) => Readable.from([files.get(index)!]),
  } as unknown as ExportJobStore;
}

function window(index: number, extra: Partial<ExportWindowState>): ExportWindowState {
  return {
    index,
    dateFrom: '2024-05-01T00:00:00.000Z',
    dateTo: '2024-05-02T00:00:00.000Z',
    status: 'completed',
    upstreamJobId: null,
    attempts: 1,
    counts: null,
    ...extra,
  };
}

describe('ExportResultReader', () => {
  // A header whose key column is longer than the schema's name for it (found by prefix).
  const columns = ['ACD Call ID (Contact)', 'Segment ID (Contact)'];
  const files = new Map([
    [
      0,
      gzipLines([
        ['700', 's1'],
        ['701', 's2'],
      ]),
    ],
    [1, gzipLines([['702', 's3']])],
  ]);
  const job = {
    id: 'e1',
    dataset: { entity: 'recording-interaction-metadata', version: '7', key: 'Segment ID' },
    windows: [
      window(0, { columns, keyColumn: 'Segment ID (Contact)' }),
      window(1, { columns, keyColumn: 'Segment ID (Contact)' }),
      window(2, { status: 'pending' }),
    ],
  } as unknown as ExportJobState;
  const sut = new ExportResultReader(storeOf(files));

  it('serves row lines as records keyed by the window columns, committed windows only', async () => {
    const records: Record<string, unknown>[] = [];
    for await (const r of sut.records(job)) records.push(r);
    expect(records).toEqual([
      { 'ACD Call ID (Contact)': '700', 'Segment ID (Contact)': 's1' },
      { 'ACD Call ID (Contact)': '701', 'Segment ID (Contact)': 's2' },
      { 'ACD Call ID (Contact)': '702', 'Segment ID (Contact)': 's3' },
    ]);
  });

  it('rebuilds the seen-set by the header name of the key column, not the schema name', async () => {
    const seen = await sut.seenIds(job);
    expect(seen.size).toBe(3);
    expect(['s1', 's2', 's3'].every((id) => seen.has(id))).toBe(true);
    expect(seen.has('undefined')).toBe(false);
  });
});
