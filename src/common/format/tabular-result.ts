/**
 * What a tabular endpoint returns: the JSON envelope (which holds the rows) plus the rows and
 * column order for CSV / NDJSON. The format hook turns it into the representation asked for, so
 * controllers and services never deal with output formats.
 */
export class TabularResult<Row extends object = Record<string, unknown>> {
  constructor(
    readonly envelope: object,
    readonly rows: readonly Row[],
    readonly columns: readonly string[],
  ) {}
}
