import { AppError } from '../../../common/errors/app-error';
import type { CxoneClient } from '../../../cxone/cxone.client';
import type { UpstreamRequest } from '../../../cxone/cxone.types';
import type { AcdEndpoint } from '../../../config/acd-endpoints';
import type { InContactConfig } from '../../../config/app-config.types';
import { nextLink, payloadList, totalRecords } from '../normalise/wrappers';
import { field } from '../normalise/keys';

/**
 * `/inContactAPI/services/vNN.0`, the root of the ACD reporting and real-time API, for one
 * endpoint: CXone versions each endpoint, so one may be pinned (CXONE_API_VERSIONS) apart from
 * the default (CXONE_API_VERSION).
 */
export function acdRoot(
  incontact: Pick<InContactConfig, 'apiVersion' | 'apiVersions'>,
  endpoint: AcdEndpoint,
): string {
  return `/inContactAPI/services/v${incontact.apiVersions[endpoint] ?? incontact.apiVersion}`;
}

/** One page of an ACD list, as the paging loop needs it. */
export interface AcdPage<T> {
  rows: T[];
  totalRecords: number | null;
  /** `_links.next` when the page has one. */
  next?: string;
  /** The page carried `_links`: then a missing `next` means it was the last page. */
  hasLinks: boolean;
  /** The raw body, for envelope fields such as `lastPollTime`. */
  body: unknown;
}

/** Reads the paging signals of an ACD list body around its rows (`arrayKey`, any wrapper). */
export function readAcdPage<T>(
  body: unknown,
  arrayKey: string,
  parseRow: (raw: unknown, path: string) => T,
): AcdPage<T> {
  const rows = payloadList(body, arrayKey).map((raw, i) => parseRow(raw, `${arrayKey}[${i}]`));
  const hasLinks =
    body !== null &&
    typeof body === 'object' &&
    field(body as Record<string, unknown>, '_links') !== undefined;
  return { rows, totalRecords: totalRecords(body), next: nextLink(body), hasLinks, body };
}

type RowOf<P> = P extends AcdPage<infer T> ? T : never;

export interface FetchAcdPagesOptions<P> {
  client: CxoneClient;
  /** The first request; `top`/`skip` are added to its query. */
  request: UpstreamRequest;
  pageSize: number;
  parse: (body: unknown) => P;
  /** Hard stop against an answer that never ends. */
  maxPages: number;
}

/**
 * Walks an ACD list: follows `_links.next` as-is while there is one (on our own API host: only
 * its path and query are used, so the bearer token never goes elsewhere); without it advances
 * `skip` by the rows received. Stops on an empty page or 204, or when `skip` reaches
 * `totalRecords`; when the page gives no `totalRecords`, also when it has `_links` without a
 * `next`. Never on a page merely shorter than `top`, since CXone may cap pages below what was
 * asked. Which signal the last page carries is not documented, so a count that says rows remain
 * outweighs a missing `next`: stopping there would drop them without a word, while asking once
 * too often costs one empty page.
 */
export async function fetchAcdPages<P extends AcdPage<unknown>>(
  opts: FetchAcdPagesOptions<P>,
): Promise<{ rows: RowOf<P>[]; pages: P[] }> {
  const rows: RowOf<P>[] = [];
  const pages: P[] = [];
  const seenLinks = new Set<string>();
  let skip = 0;
  let linkPath: string | undefined;
  for (;;) {
    if (pages.length >= opts.maxPages) {
      throw new AppError(
        'UPSTREAM_ERROR',
        `CXone paging for ${opts.request.operation} did not end after ${opts.maxPages} pages`,
      );
    }
    const request: UpstreamRequest = linkPath
      ? { ...opts.request, path: linkPath, query: undefined }
      : { ...opts.request, query: { ...opts.request.query, top: opts.pageSize, skip } };
    const page = (await opts.client.request(request, opts.parse)).data;
    pages.push(page);
    rows.push(...(page.rows as RowOf<P>[]));
    if (page.rows.length === 0) break;
    skip += page.rows.length;
    linkPath = page.next === undefined ? undefined : pathOf(page.next);
    if (linkPath !== undefined) {
      if (seenLinks.has(linkPath)) {
        throw new AppError(
          'UPSTREAM_ERROR',
          'CXone paging returned a next link it had already given',
        );
      }
      seenLinks.add(linkPath);
      continue;
    }
    if (page.totalRecords !== null) {
      if (skip >= page.totalRecords) break;
      continue;
    }
    // No count, links without a next: the last page (an unusable next link falls back to skip).
    if (page.hasLinks && page.next === undefined) break;
  }
  return { rows, pages };
}

/** Path and query of an absolute (or relative) `_links.next`; undefined when unusable. */
export function pathOf(link: string): string | undefined {
  try {
    const url = new URL(link, 'http://relative.invalid');
    if (!url.pathname.toLowerCase().startsWith('/incontactapi/')) return undefined;
    return `${url.pathname}${url.search}`;
  } catch {
    return undefined;
  }
}
