import type { IncontactQuirks } from './quirks';

/**
 * Offset paging as the inContact reporting and real-time lists do it: `top`/`skip` in the query,
 * `totalRecords` and `_links` (complete URLs) in the answer. Which of those signals a page
 * carries is a quirk, because clients disagree on which one to trust.
 */

export interface PageRequest {
  top: number;
  skip: number;
}

/** A parameter problem, phrased for the error description (names the parameter). */
export interface ParamProblem {
  param: string;
  message: string;
}

function nonNegativeInt(query: URLSearchParams, name: string): number | undefined | null {
  const raw = query.get(name);
  if (raw === null || raw.trim() === '') return undefined;
  return /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : null;
}

/** `top` (default: the page cap) and `skip` (default 0); a malformed one is a problem naming it. */
export function parsePageRequest(
  query: URLSearchParams,
  pageCap: number,
): PageRequest | ParamProblem {
  const top = nonNegativeInt(query, 'top');
  const skip = nonNegativeInt(query, 'skip');
  if (top === null || top === 0) return { param: 'top', message: 'top must be a positive integer' };
  if (skip === null) return { param: 'skip', message: 'skip must be a non-negative integer' };
  return { top: top ?? pageCap, skip: skip ?? 0 };
}

/** Rows of one page: never more than the cap, whatever `top` asked for (clients must cope). */
export function pageSlice(
  total: number,
  page: PageRequest,
  pageCap: number,
): { from: number; count: number } {
  const from = Math.min(page.skip, total);
  return { from, count: Math.max(0, Math.min(page.top, pageCap, total - from)) };
}

function withPaging(self: URL, top: number, skip: number): string {
  const url = new URL(self.href);
  url.searchParams.set('top', String(top));
  url.searchParams.set('skip', String(skip));
  return url.href;
}

/**
 * `totalRecords` and `_links` for one page, per the paging quirks. `next` repeats the request
 * (query included) with `skip` moved past the rows returned, so following it as-is is enough.
 */
export function pageMeta(options: {
  total: number;
  page: PageRequest;
  returned: number;
  self: URL;
  quirks: Pick<IncontactQuirks, 'paging' | 'lastPageNext' | 'nextLinks'>;
}): Record<string, unknown> {
  const { total, page, returned, self, quirks } = options;
  const meta: Record<string, unknown> = {};
  if (quirks.paging === 'both' || quirks.paging === 'offset') meta.totalRecords = total;
  if (quirks.paging === 'offset' || quirks.paging === 'offset-no-total') return meta;
  const links: Record<string, string | null> = { self: self.href };
  const nextSkip = page.skip + returned;
  const more = returned > 0 && nextSkip < total;
  if (more && quirks.nextLinks !== 'never') links.next = withPaging(self, page.top, nextSkip);
  else if (quirks.lastPageNext === 'null') links.next = null;
  else if (quirks.lastPageNext === 'empty') links.next = '';
  links.previous =
    page.skip > 0 ? withPaging(self, page.top, Math.max(0, page.skip - page.top)) : null;
  meta._links = links;
  return meta;
}

/** The URL the client called, as it would appear in `_links` (host from the Host header). */
export function requestUrl(host: string | undefined, path: string, query: URLSearchParams): URL {
  const url = new URL(`http://${host ?? '127.0.0.1'}${path}`);
  for (const [k, v] of query) url.searchParams.append(k, v);
  return url;
}
