import { ODataQueryError } from '../odata-errors';
import type { EntityTypeDef } from '../odata-model';
import { applyQuery, preferredPageSize } from './apply-query';
import { parseQueryOptions } from './query-options';

const TYPE: EntityTypeDef = {
  name: 'Row',
  key: ['id'],
  properties: [
    { name: 'id', type: 'Edm.String', nullable: false },
    { name: 'n', type: 'Edm.Int64', nullable: true },
    { name: 'tags', type: 'Edm.String', nullable: true, collection: true },
  ],
};
const ROWS = Array.from({ length: 10 }, (_, i) => ({ id: `r${i}`, n: i % 3, tags: [] }));

function refusal(raw: Record<string, unknown>, custom: string[] = []): [string, string, number] {
  try {
    parseQueryOptions(raw, TYPE, custom);
  } catch (err) {
    const e = err as ODataQueryError;
    expect(e).toBeInstanceOf(ODataQueryError);
    return [e.target, e.code, e.errors?.length ?? 0];
  }
  throw new Error('expected a refusal');
}

describe('parseQueryOptions', () => {
  it('reads every supported option', () => {
    const q = parseQueryOptions(
      {
        $filter: 'n gt 0',
        $select: 'id,n',
        $orderby: 'n desc,id',
        $top: '4',
        $skip: '1',
        $count: 'true',
        $skiptoken: '2',
        $format: 'application/json;odata.metadata=minimal',
        timeZone: 'Europe/Berlin',
      },
      TYPE,
      ['timeZone'],
    );
    expect(q).toMatchObject({ select: ['id', 'n'], top: 4, skip: 1, count: true, skiptoken: 2 });
    expect(q.orderby.map((o) => [o.prop.name, o.desc])).toEqual([
      ['n', true],
      ['id', false],
    ]);
    expect(q.custom).toEqual({ timeZone: 'Europe/Berlin' });
    expect(parseQueryOptions({ $select: '*' }, TYPE, []).select).toBeUndefined();
  });

  it.each([
    ['$expand', 'Records'],
    ['$search', 'x'],
    ['$apply', 'groupby((n))'],
    ['$compute', 'n add 1 as m'],
    ['$levels', '2'],
    ['$deltatoken', 'x'],
    ['$format', 'xml'],
  ])('%s is a 501 naming the option, never ignored', (name, value) => {
    expect(refusal({ [name]: value })).toEqual([name, 'NOT_IMPLEMENTED', 0]);
  });

  it.each([
    [{ $foo: '1' }, '$foo'],
    [{ region: 'eu' }, 'region'],
    [{ $top: '-1' }, '$top'],
    [{ $top: 'ten' }, '$top'],
    [{ $skip: '1.5' }, '$skip'],
    [{ $count: 'yes' }, '$count'],
    [{ $select: 'id,missing' }, '$select'],
    [{ $select: 'id/x' }, '$select'],
    [{ $orderby: 'missing' }, '$orderby'],
    [{ $orderby: 'tags' }, '$orderby'],
    [{ $orderby: 'n sideways' }, '$orderby'],
    [{ $filter: 'n eq' }, '$filter'],
    [{ $format: 'csv' }, '$format'],
    [{ $top: ['1', '2'] }, '$top'],
  ])('%j is a 400 naming %s', (raw, target) => {
    expect(refusal(raw)).toEqual([target, 'VALIDATION_FAILED', 1]);
  });
});

describe('applyQuery', () => {
  const run = (raw: Record<string, unknown>, pageSize = 1000) =>
    applyQuery(ROWS, parseQueryOptions(raw, TYPE, []), TYPE, pageSize);

  it('filters, orders (then by key), counts and projects', () => {
    const page = run({ $filter: 'n eq 1', $orderby: 'n desc', $select: 'id', $count: 'true' });
    expect(page.count).toBe(3);
    expect(page.rows).toEqual([{ id: 'r1' }, { id: 'r4' }, { id: 'r7' }]);
    expect(page.nextSkiptoken).toBeUndefined();
  });

  it('pages a $skip / $top window with skiptokens, covering it exactly once', () => {
    const seen: string[] = [];
    let skiptoken: number | undefined = 0;
    while (skiptoken !== undefined) {
      const page = run({ $skip: '2', $top: '7', $skiptoken: String(skiptoken) }, 3);
      seen.push(...page.rows.map((r) => r.id as string));
      skiptoken = page.nextSkiptoken;
    }
    expect(seen).toEqual(['r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8']);
  });

  it('reads odata.maxpagesize from Prefer, capped', () => {
    expect(preferredPageSize('odata.maxpagesize=50')).toBe(50);
    expect(preferredPageSize('return=minimal, odata.maxpagesize="20"')).toBe(20);
    expect(preferredPageSize('odata.maxpagesize=999999')).toBe(5000);
    expect(preferredPageSize(undefined)).toBeUndefined();
    expect(preferredPageSize('odata.maxpagesize=0')).toBeUndefined();
  });
});
