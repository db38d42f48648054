/** Conditional and cache-control request headers of the analytics routes. */

/** If-None-Match against our ETag: `*`, a list, and weak (W/) forms all compare by opaque tag. */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const wanted = ifNoneMatch.trim();
  if (wanted === '*') return true;
  return wanted
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .includes(etag);
}

/** `Cache-Control: no-cache` (or max-age=0) on the request forces a fresh upstream query. */
export function wantsRefresh(cacheControl: string | undefined): boolean {
  if (!cacheControl) return false;
  return cacheControl
    .toLowerCase()
    .split(',')
    .map((d) => d.trim())
    .some((d) => d === 'no-cache' || d === 'max-age=0');
}
