import { finalStatus, totalCounts } from './export-counts';
import type { ExportJobState, ExportWindowState } from './export.types';

function window(
  status: ExportWindowState['status'],
  counts: ExportWindowState['counts'],
): ExportWindowState {
  return { index: 0, dateFrom: '', dateTo: '', status, upstreamJobId: null, attempts: 0, counts };
}

function job(windows: ExportWindowState[]): ExportJobState {
  return {
    version: 1,
    id: 'x',
    owner: 'o',
    start: '',
    end: '',
    status: 'running',
    windows,
    webhook: { url: null, state: 'none', attempts: 0 },
    createdAt: '',
    updatedAt: '',
  };
}

describe('export counts', () => {
  it('sums committed windows only, keeping received = valid + duplicates + schemaErrors', () => {
    const sut = job([
      window('completed', { received: 10, valid: 7, duplicates: 2, schemaErrors: 1 }),
      window('failed', null),
      window('completed', { received: 5, valid: 2, duplicates: 3, schemaErrors: 0 }),
    ]);
    const counts = totalCounts(sut);
    expect(counts).toEqual({ received: 15, valid: 9, duplicates: 5, schemaErrors: 1 });
    expect(counts.received).toBe(counts.valid + counts.duplicates + counts.schemaErrors);
  });

  it('sums outsideWindow beside the others, absent unless a window counted it', () => {
    const sut = job([
      window('completed', { received: 10, valid: 7, duplicates: 2, schemaErrors: 1 }),
      window('completed', {
        received: 5,
        valid: 5,
        duplicates: 0,
        schemaErrors: 0,
        outsideWindow: 4,
      }),
      window('completed', {
        received: 1,
        valid: 1,
        duplicates: 0,
        schemaErrors: 0,
        outsideWindow: 3,
      }),
    ]);
    expect(totalCounts(sut)).toEqual({
      received: 16,
      valid: 13,
      duplicates: 2,
      schemaErrors: 1,
      outsideWindow: 7,
    });
    expect(totalCounts(job([window('completed', sut.windows[0].counts)]))).not.toHaveProperty(
      'outsideWindow',
    );
  });

  it('is zero before anything is committed', () => {
    expect(totalCounts(job([window('running', null)]))).toEqual({
      received: 0,
      valid: 0,
      duplicates: 0,
      schemaErrors: 0,
    });
  });

  it.each([
    [['completed', 'completed'], 'completed'],
    [['completed', 'failed'], 'partial'],
    [['failed', 'failed'], 'failed'],
  ] as const)('windows %p → %s', (statuses, expected) => {
    expect(finalStatus(job(statuses.map((s) => window(s, null))))).toBe(expected);
  });
});
