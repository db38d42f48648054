import { validateSummaryPage } from './v2-analytics.source';

describe('validateSummaryPage: the undocumented metadata.totalRows, read tolerantly', () => {
  const page = (metadata: unknown) => ({
    data: [{ channel: 'voice' }],
    paging: { next: 'c2' },
    metadata,
  });

  it('reads the total when it is a count', () => {
    expect(validateSummaryPage(page({ totalRows: 131_760, pageSize: 50 }))).toEqual({
      data: [{ channel: 'voice' }],
      next: 'c2',
      totalRows: 131_760,
    });
    expect(validateSummaryPage(page({ totalRows: 0 })).totalRows).toBe(0);
  });

  it.each([
    ['absent', { pageSize: 50 }],
    ['a numeric string', { totalRows: '131760' }],
    ['negative', { totalRows: -1 }],
    ['fractional', { totalRows: 12.5 }],
    ['null', { totalRows: null }],
  ])('ignores it when %s, and still reads the page', (_what, metadata) => {
    const read = validateSummaryPage(page(metadata));
    expect(read).toEqual({ data: [{ channel: 'voice' }], next: 'c2' });
    expect('totalRows' in read).toBe(false);
  });

  it('reads a page without any metadata', () => {
    expect(validateSummaryPage({ data: [], paging: { next: null } })).toEqual({
      data: [],
      next: null,
    });
  });
});
