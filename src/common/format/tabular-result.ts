import type { ResponseMeta } from '../http/response-meta';

/**
 * What a tabular endpoint returns: the JSON envelope (which holds the rows) plus the rows and
 * column order for CSV / NDJSON, and any response metadata (cache status, ETag, 304). The
 * response hooks turn it into the representation asked for, so controllers and services never
 * deal with output formats or the reply.
 */
export class TabularResult<Row extends object = Record<string, unknown>> {
  constructor(
    readonly envelope: object,
    readonly rows: readonly Row[],
    readonly columns: readonly string[],
    readonly meta?: ResponseMeta,
  ) {}

  /** The same table with other response metadata (a cached table is shared; never mutated). */
  withMeta(meta: ResponseMeta): TabularResult<Row> {
    return new TabularResult(this.envelope, this.rows, this.columns, meta);
  }
}
