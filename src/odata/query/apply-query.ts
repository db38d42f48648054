import type { EntityTypeDef, PropertyDef } from '../odata-model';
import { matches } from './filter-eval';
import type { ODataQuery, OrderItem } from './query-options';

export type EntityRow = Record<string, unknown>;

/** Rows per page when the client states no odata.maxpagesize, and the most it may ask for. */
export const DEFAULT_PAGE_SIZE = 1000;
export const MAX_PAGE_SIZE = 5000;

export interface PagedRows {
  rows: EntityRow[];
  /** Rows matching $filter (for $count=true), before $skip / $top / paging. */
  count: number;
  /** The $skiptoken of the next page, when there is one. */
  nextSkiptoken?: number;
}

function sortValue(prop: PropertyDef, row: EntityRow): string | number | boolean | null {
  const v = row[prop.name];
  if (v === null || v === undefined) return null;
  if (prop.type === 'Edm.DateTimeOffset' && typeof v === 'string') return Date.parse(v);
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : null;
}

/** Ordinal order with null first (OData sorts null lowest), ties kept stable. */
function comparator(order: readonly OrderItem[]) {
  return (a: EntityRow, b: EntityRow): number => {
    for (const { prop, desc } of order) {
      const x = sortValue(prop, a);
      const y = sortValue(prop, b);
      if (x === y) continue;
      const c = x === null ? -1 : y === null ? 1 : x < y ? -1 : 1;
      return desc ? -c : c;
    }
    return 0;
  };
}

/**
 * $filter, $orderby (then the key, so pages never overlap or skip), $skip / $top, and one page
 * of server-driven paging starting `skiptoken` rows into the requested window.
 */
export function applyQuery(
  all: readonly EntityRow[],
  q: ODataQuery,
  type: EntityTypeDef,
  pageSize: number,
): PagedRows {
  const filtered = q.filter ? all.filter((r) => matches(q.filter!, r)) : [...all];
  const keyOrder: OrderItem[] = type.key
    .filter((k) => !q.orderby.some((o) => o.prop.name === k))
    .map((k) => ({ prop: type.properties.find((p) => p.name === k)!, desc: false }));
  filtered.sort(comparator([...q.orderby, ...keyOrder]));
  const windowEnd =
    q.top === undefined ? filtered.length : Math.min(filtered.length, q.skip + q.top);
  const from = q.skip + q.skiptoken;
  const to = Math.min(windowEnd, from + pageSize);
  const rows = from < to ? filtered.slice(from, to) : [];
  return {
    rows: rows.map((r) => projectRow(r, type, q.select)),
    count: filtered.length,
    ...(to < windowEnd ? { nextSkiptoken: q.skiptoken + (to - from) } : {}),
  };
}

/** The selected properties of a row, every declared one present (null when absent). */
export function projectRow(
  row: EntityRow,
  type: EntityTypeDef,
  select?: readonly string[],
): EntityRow {
  const out: EntityRow = {};
  for (const p of type.properties) {
    if (select && !select.includes(p.name)) continue;
    const v = row[p.name];
    out[p.name] = v === undefined ? (p.collection ? [] : null) : v;
  }
  return out;
}

/** The page size a request asks for with `Prefer: odata.maxpagesize=N` (capped), if any. */
export function preferredPageSize(prefer: string | undefined): number | undefined {
  const m = /(?:^|[,;\s])odata\.maxpagesize\s*=\s*"?(\d+)"?/i.exec(prefer ?? '');
  if (!m) return undefined;
  const n = Number(m[1]);
  return n >= 1 ? Math.min(n, MAX_PAGE_SIZE) : undefined;
}
