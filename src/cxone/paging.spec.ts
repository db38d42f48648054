import { AppError } from '../common/errors/app-error';
import { fetchAllCursor, fetchAllPages, PageResult } from './paging';

/** A paged source over `total` numbered records, with hooks to misbehave. */
function source(
  total: number,
  pageSize: number,
  opts: { claimTotal?: (page: number) => number } = {},
) {
  const calls: number[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const fetchPage = async (page: number): Promise<PageResult<number>> => {
    calls.push(page);
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    // Later pages answer sooner (fewer turns of the event loop), so completion order differs
    // from page order.
    for (let turn = 0; turn < 5 - (page % 5); turn++) {
      await new Promise((r) => setImmediate(r));
    }
    inFlight -= 1;
    const start = (page - 1) * pageSize;
    const records = Array.from(
      { length: Math.max(0, Math.min(pageSize, total - start)) },
      (_, i) => start + i,
    );
    return { records, totalRecords: opts.claimTotal ? opts.claimTotal(page) : total };
  };
  return { fetchPage, calls, maxInFlight: () => maxInFlight };
}

describe('fetchAllPages', () => {
  it('fetches 10 000 records over 100 pages in order with bounded concurrency', async () => {
    const src = source(10_000, 100);
    const sut = await fetchAllPages({ fetchPage: src.fetchPage, pageSize: 100, concurrency: 6 });
    expect(sut.records).toHaveLength(10_000);
    expect(sut.records.every((r, i) => r === i)).toBe(true);
    expect(sut.pages).toBe(100);
    expect(sut.truncated).toBe(false);
    expect(src.maxInFlight()).toBeLessThanOrEqual(6);
    expect(src.maxInFlight()).toBeGreaterThan(1);
  });

  it('returns nothing after one call when the first page is empty', async () => {
    const src = source(0, 100);
    const sut = await fetchAllPages({ fetchPage: src.fetchPage, pageSize: 100 });
    expect(sut).toEqual({ records: [], pages: 1, truncated: false });
  });

  it('stops at the first empty page when the total overstates the data', async () => {
    const src = source(250, 100, { claimTotal: () => 1_000_000 });
    const sut = await fetchAllPages({ fetchPage: src.fetchPage, pageSize: 100, concurrency: 4 });
    expect(sut.records).toEqual(Array.from({ length: 250 }, (_, i) => i));
    // Page 3 is short: at most the in-flight pages are wasted.
    expect(sut.pages).toBeLessThanOrEqual(3 + 4);
  });

  it('stops at maxPages when the total keeps growing and pages never run dry', async () => {
    const src = source(Number.MAX_SAFE_INTEGER, 10, { claimTotal: (page) => page * 1000 });
    const sut = await fetchAllPages({ fetchPage: src.fetchPage, pageSize: 10, maxPages: 50 });
    expect(sut.pages).toBe(50);
    expect(sut.records).toHaveLength(500);
    expect(sut.truncated).toBe(true);
    expect(Math.max(...src.calls)).toBe(50);
  });

  it('stops when every record the total announced is in, even if pages are full', async () => {
    const src = source(1000, 100, { claimTotal: () => 300 });
    const sut = await fetchAllPages({ fetchPage: src.fetchPage, pageSize: 100 });
    expect(sut.records).toHaveLength(300);
    expect(sut.truncated).toBe(false);
  });

  it('propagates a page failure', async () => {
    const fetchPage = (page: number): Promise<PageResult<number>> =>
      page === 3
        ? Promise.reject(new AppError('UPSTREAM_UNAVAILABLE', 'down'))
        : Promise.resolve({ records: [page], totalRecords: 5 });
    await expect(fetchAllPages({ fetchPage, pageSize: 1 })).rejects.toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
    });
  });
});

describe('fetchAllCursor', () => {
  it('follows next until it is null', async () => {
    const pages: Record<string, { data: string[]; next: string | null }> = {
      start: { data: ['a', 'b'], next: 'c1' },
      c1: { data: ['c'], next: 'c2' },
      c2: { data: ['d'], next: null },
    };
    const sut = await fetchAllCursor({
      fetchPage: (next) => Promise.resolve(pages[next ?? 'start']),
    });
    expect(sut).toEqual({ records: ['a', 'b', 'c', 'd'], pages: 3 });
  });

  it('fails with UPSTREAM_ERROR on a repeated cursor', async () => {
    const fetchPage = (next?: string) =>
      Promise.resolve({ data: [1], next: next === 'x' ? 'y' : 'x' });
    await expect(fetchAllCursor({ fetchPage })).rejects.toMatchObject({ code: 'UPSTREAM_ERROR' });
  });

  it('fails with UPSTREAM_ERROR past maxPages', async () => {
    let n = 0;
    const fetchPage = () => Promise.resolve({ data: [n], next: `c${++n}` });
    await expect(fetchAllCursor({ fetchPage, maxPages: 10 })).rejects.toMatchObject({
      code: 'UPSTREAM_ERROR',
    });
    expect(n).toBe(10);
  });
});
