import { pageMeta, pageSlice, parsePageRequest, requestUrl } from './paging';

const q = (text: string): URLSearchParams => new URLSearchParams(text);
const self = requestUrl(
  'api.example',
  '/inContactAPI/services/v30.0/agents/state-history',
  q('startDate=a&top=2'),
);

describe('parsePageRequest', () => {
  it('defaults top to the page cap and skip to 0', () => {
    expect(parsePageRequest(q(''), 500)).toEqual({ top: 500, skip: 0 });
    expect(parsePageRequest(q('top=10&skip=20'), 500)).toEqual({ top: 10, skip: 20 });
  });

  it.each([
    ['top=0', 'top'],
    ['top=-1', 'top'],
    ['top=ten', 'top'],
    ['skip=1.5', 'skip'],
  ])('refuses %s naming %s', (text, param) => {
    expect(parsePageRequest(q(text), 500)).toMatchObject({ param });
  });
});

describe('pageSlice', () => {
  it('never returns more rows than the cap, whatever top asked for', () => {
    expect(pageSlice(5000, { top: 1000, skip: 0 }, 300)).toEqual({ from: 0, count: 300 });
    expect(pageSlice(10, { top: 4, skip: 8 }, 300)).toEqual({ from: 8, count: 2 });
    expect(pageSlice(10, { top: 4, skip: 12 }, 300)).toEqual({ from: 10, count: 0 });
  });
});

describe('pageMeta', () => {
  const both = { paging: 'both', lastPageNext: 'null', nextLinks: 'while-more' } as const;

  it('links the next page with skip moved past the rows returned (short pages included)', () => {
    const meta = pageMeta({ total: 7, page: { top: 2, skip: 0 }, returned: 2, self, quirks: both });
    expect(meta.totalRecords).toBe(7);
    const links = meta._links as Record<string, string | null>;
    const next = new URL(links.next as string);
    expect(next.searchParams.get('skip')).toBe('2');
    expect(next.searchParams.get('top')).toBe('2');
    expect(next.searchParams.get('startDate')).toBe('a');
    expect(links.previous).toBeNull();
    const capped = pageMeta({
      total: 7,
      page: { top: 5, skip: 0 },
      returned: 3,
      self,
      quirks: both,
    });
    expect(new URL((capped._links as Record<string, string>).next).searchParams.get('skip')).toBe(
      '3',
    );
  });

  it.each([
    ['null', { next: null }],
    ['empty', { next: '' }],
  ] as const)('ends with next %s', (lastPageNext, expected) => {
    const meta = pageMeta({
      total: 2,
      page: { top: 2, skip: 0 },
      returned: 2,
      self,
      quirks: { paging: 'both', lastPageNext, nextLinks: 'while-more' },
    });
    expect(meta._links).toMatchObject(expected);
  });

  it('can leave next out on the last page, or drop links or totals altogether', () => {
    const absent = pageMeta({
      total: 2,
      page: { top: 2, skip: 0 },
      returned: 2,
      self,
      quirks: { paging: 'both', lastPageNext: 'absent', nextLinks: 'while-more' },
    });
    expect(absent._links).not.toHaveProperty('next');
    const page = { top: 2, skip: 0 };
    const at = (paging: 'links' | 'offset' | 'offset-no-total') =>
      pageMeta({
        total: 9,
        page,
        returned: 2,
        self,
        quirks: { paging, lastPageNext: 'null', nextLinks: 'while-more' },
      });
    expect(at('links')).not.toHaveProperty('totalRecords');
    expect(at('links')).toHaveProperty('_links.next');
    expect(at('offset')).toEqual({ totalRecords: 9 });
    expect(at('offset-no-total')).toEqual({});
  });

  it('under nextLinks: never gives no next while rows remain, the count still saying so', () => {
    const meta = pageMeta({
      total: 9,
      page: { top: 2, skip: 0 },
      returned: 2,
      self,
      quirks: { paging: 'both', lastPageNext: 'null', nextLinks: 'never' },
    });
    expect(meta).toMatchObject({ totalRecords: 9, _links: { next: null } });
  });
});
