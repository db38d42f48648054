import { AppError } from '../common/errors/app-error';

export interface PageResult<T> {
  records: T[];
  totalRecords: number;
}

export interface FetchAllPagesOptions<T> {
  /** Fetches one page, numbered from 1. */
  fetchPage: (page: number) => Promise<PageResult<T>>;
  pageSize: number;
  /** Pages in flight at once once the total is known. Default 6. */
  concurrency?: number;
  /** Hard stop against a lying or growing total. Default 2000. */
  maxPages?: number;
}

export interface AllPages<T> {
  records: T[];
  /** Pages fetched (including any speculative page past the end). */
  pages: number;
  /** True when `maxPages` stopped the walk while CXone still claimed more records. */
  truncated: boolean;
}

/**
 * Page-number pagination: page 1 first to learn `totalRecords`, then the remaining pages with
 * bounded concurrency, records returned in page order. The walk ends at the first empty or short
 * page, when every page the (largest seen) total implies is in, or at `maxPages` — so a total
 * that lies or keeps growing cannot loop forever.
 */
export async function fetchAllPages<T>(opts: FetchAllPagesOptions<T>): Promise<AllPages<T>> {
  const pageSize = Math.max(1, opts.pageSize);
  const maxPages = Math.max(1, opts.maxPages ?? 2000);
  const first = await opts.fetchPage(1);
  const walk = new PageWalk<T>(pageSize, maxPages);
  walk.accept(1, first);
  await Promise.all(
    Array.from({ length: Math.max(1, opts.concurrency ?? 6) }, () => walk.worker(opts.fetchPage)),
  );
  return walk.result();
}

/** Shared state of the page workers: which page is next, where the data ends. */
class PageWalk<T> {
  private readonly pages = new Map<number, T[]>();
  private next = 2;
  private target = 1;
  /** First page known to be past the end (empty), or after a short page. */
  private end = Infinity;
  /** The most pages any response's total implied (may exceed maxPages). */
  private claimed = 1;
  /** The first page failure, boxed so even `reject(undefined)` stops the walk. */
  private failed: { error: unknown } | undefined;
  private fetched = 0;

  constructor(
    private readonly pageSize: number,
    private readonly maxPages: number,
  ) {}

  accept(page: number, result: PageResult<T>): void {
    this.fetched += 1;
    const records = Array.isArray(result.records) ? result.records : [];
    this.pages.set(page, records);
    if (records.length === 0) this.end = Math.min(this.end, page);
    else if (records.length < this.pageSize) this.end = Math.min(this.end, page + 1);
    const total = Number(result.totalRecords);
    const implied = Number.isFinite(total) ? Math.ceil(total / this.pageSize) : 0;
    this.claimed = Math.max(this.claimed, implied);
    this.target = Math.min(this.maxPages, this.claimed);
  }

  async worker(fetchPage: (page: number) => Promise<PageResult<T>>): Promise<void> {
    while (this.failed === undefined && this.next <= this.target && this.next < this.end) {
      const page = this.next++;
      try {
        this.accept(page, await fetchPage(page));
      } catch (err) {
        this.failed ??= { error: err };
      }
    }
  }

  result(): AllPages<T> {
    // Rethrow the page's own error (an AppError from the client) unchanged.
    if (this.failed) throw this.failed.error as Error;
    const records: T[] = [];
    let page = 1;
    for (; page < this.end && this.pages.has(page); page++) {
      for (const r of this.pages.get(page) ?? []) records.push(r);
    }
    const fullToTheEnd = this.end === Infinity;
    const truncated = fullToTheEnd && page - 1 === this.maxPages && this.claimed > this.maxPages;
    return { records, pages: this.fetched, truncated };
  }
}

export interface CursorPage<T> {
  data: T[];
  next?: string | null;
}

export interface FetchAllCursorOptions<T> {
  /** Fetches one page; `next` is undefined for the first. */
  fetchPage: (next?: string) => Promise<CursorPage<T>>;
  /** Default 500. */
  maxPages?: number;
}

/**
 * Cursor pagination until `next` is null or absent. A cursor seen before (CXone looping) or more
 * than `maxPages` pages is an upstream fault, reported as UPSTREAM_ERROR rather than looped on.
 */
export async function fetchAllCursor<T>(
  opts: FetchAllCursorOptions<T>,
): Promise<{ records: T[]; pages: number }> {
  const maxPages = Math.max(1, opts.maxPages ?? 500);
  const seen = new Set<string>();
  const records: T[] = [];
  let next: string | undefined;
  let pages = 0;
  do {
    if (pages >= maxPages) {
      throw new AppError('UPSTREAM_ERROR', `CXone paging did not end after ${maxPages} pages`);
    }
    const page = await opts.fetchPage(next);
    pages += 1;
    for (const r of Array.isArray(page.data) ? page.data : []) records.push(r);
    next = page.next ?? undefined;
    if (next !== undefined) {
      if (seen.has(next)) {
        throw new AppError('UPSTREAM_ERROR', 'CXone paging returned a cursor it had already given');
      }
      seen.add(next);
    }
  } while (next !== undefined && next !== '');
  return { records, pages };
}
