/**
 * Response metadata (headers, 304) for analytics results. Controllers return plain values and
 * never touch the reply; AnalyticsResponseHooks applies this on the way out. Kept in a WeakMap
 * keyed by both the returned object and its JSON envelope, so it is found whichever of them
 * reaches the hook (the format hook may already have swapped a TabularResult for its envelope).
 */
export interface ResponseMeta {
  headers: Record<string, string>;
  /** The caller's If-None-Match matched: answer 304 with no body. */
  notModified: boolean;
}

const META = new WeakMap<object, ResponseMeta>();

export function attachResponseMeta<T extends object>(
  result: T,
  meta: ResponseMeta,
  envelope?: object,
): T {
  META.set(result, meta);
  if (envelope) META.set(envelope, meta);
  return result;
}

export function responseMetaOf(payload: unknown): ResponseMeta | undefined {
  return typeof payload === 'object' && payload !== null ? META.get(payload) : undefined;
}

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
