import { ODataQueryError } from '../odata-errors';
import type { EntityTypeDef } from '../odata-model';
import { FilterExpr, parseFilter } from './filter-ast';
import { matches, pushedRange, pushedValues, typeFilter } from './filter-eval';

/** A compact, readable form of a parsed filter, so precedence is visible in the expectations. */
function show(e: FilterExpr): string {
  switch (e.kind) {
    case 'cmp':
      return `${e.property} ${e.op} ${JSON.stringify(e.literal.value)}`;
    case 'in':
      return `${e.property} in [${e.literals.map((l) => JSON.stringify(l.value)).join(',')}]`;
    case 'not':
      return `not(${show(e.operand)})`;
    case 'and':
    case 'or':
      return `(${show(e.left)} ${e.kind} ${show(e.right)})`;
  }
}

const TYPE: EntityTypeDef = {
  name: 'Row',
  key: ['id'],
  properties: [
    { name: 'id', type: 'Edm.String', nullable: false },
    { name: 'name', type: 'Edm.String', nullable: true },
    { name: 'n', type: 'Edm.Int64', nullable: true },
    { name: 'x', type: 'Edm.Double', nullable: true },
    { name: 'ok', type: 'Edm.Boolean', nullable: true },
    { name: 'date', type: 'Edm.Date', nullable: false },
    { name: 'at', type: 'Edm.DateTimeOffset', nullable: true },
    { name: 'tags', type: 'Edm.String', nullable: true, collection: true },
  ],
};

function targetOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ODataQueryError);
    return (err as ODataQueryError).target;
  }
  throw new Error('expected an ODataQueryError');
}

describe('parseFilter (library parse + precedence repair)', () => {
  it.each([
    ["name eq 'a' and n gt 1 or x lt 2", '((name eq "a" and n gt 1) or x lt 2)'],
    ["name eq 'a' or n gt 1 and x lt 2", '(name eq "a" or (n gt 1 and x lt 2))'],
    ["not (name eq 'a') or n eq 1", '(not(name eq "a") or n eq 1)'],
    ["not name eq 'a' and n eq 1", '(not(name eq "a") and n eq 1)'],
    ["not (name eq 'a' or n eq 1)", 'not((name eq "a" or n eq 1))'],
    ["id in ('a','b') and n eq 1 or x eq 2", '((id in ["a","b"] and n eq 1) or x eq 2)'],
    [
      "n eq 1 and id in ('a, b','it''s') and x eq 2",
      '(n eq 1 and (id in ["a, b","it\'s"] and x eq 2))',
    ],
    ["id in ('a') or id in ('b') and n eq 1", '(id in ["a"] or (id in ["b"] and n eq 1))'],
    ['5 lt n', 'n gt 5'],
    ["name eq 'Zoë 客服'", 'name eq "Zoë 客服"'],
    [
      'date ge 2024-05-01 and date lt 2024-05-08',
      '(date ge "2024-05-01" and date lt "2024-05-08")',
    ],
  ])('%s', (text, expected) => {
    expect(show(parseFilter(text))).toBe(expected);
  });

  it.each([
    '',
    'n eq',
    'n eq 1 foo',
    "contains(name,'x')",
    'name eq id',
    'n add 1 eq 2',
    "(id in ('a') or n eq 1)",
  ])('refuses %j naming $filter', (text) => {
    expect(targetOf(() => parseFilter(text))).toBe('$filter');
  });

  it('hints at the parenthesised in-expression the parser cannot read', () => {
    expect(() => parseFilter("(id in ('a') or n eq 1)")).toThrow(/wrap an in-expression/);
    expect(show(parseFilter("((id in ('a')) or n eq 1)"))).toBe('(id in ["a"] or n eq 1)');
  });
});

describe('typeFilter and matches', () => {
  const rows = [
    {
      id: 'a',
      name: 'Alpha',
      n: 1,
      x: 0.5,
      ok: true,
      date: '2024-05-01',
      at: '2024-05-01T10:00:00.000+02:00',
    },
    {
      id: 'b',
      name: null,
      n: 5,
      x: -2,
      ok: false,
      date: '2024-05-02',
      at: '2024-05-02T08:00:00.000Z',
    },
    { id: 'c', name: 'Gamma', n: null, x: 3, ok: null, date: '2024-05-03', at: null },
  ];
  const ids = (text: string) =>
    rows.filter((r) => matches(typeFilter(parseFilter(text), TYPE), r)).map((r) => r.id);

  it.each([
    ["name eq 'Alpha'", ['a']],
    ['name eq null', ['b']],
    ['name ne null', ['a', 'c']],
    ['n gt 1', ['b']],
    ['n le 5', ['a', 'b']],
    ['x lt 0', ['b']],
    ['ok eq true', ['a']],
    ['ok ne true', ['b', 'c']],
    ['date ge 2024-05-02', ['b', 'c']],
    ['date lt 2024-05-02T00:00:00Z', ['a']],
    ['at lt 2024-05-01T09:00:00Z', ['a']],
    ['at ge 2024-05-01T08:00:00Z', ['a', 'b']],
    ["id in ('a','c')", ['a', 'c']],
    ["not (id in ('a','c'))", ['b']],
    ["(id eq 'a' or id eq 'b') and not (n gt 1)", ['a']],
  ])('%s → %j', (text, expected) => {
    expect(ids(text)).toEqual(expected);
  });

  it.each([
    ["missing eq 'x'", /not a property of Row/],
    ['name eq 1', /name is Edm.String; 1 is Edm.SByte/],
    ["n eq 'x'", /n is Edm.Int64/],
    ['at eq 2024-05-01', /at is Edm.DateTimeOffset/],
    ['date eq 2024-02-30', /not a real calendar date/],
    ['ok gt true', /needs an ordered value/],
    ['n gt null', /needs an ordered value/],
    ['id eq null', /id is never null/],
    ["tags eq 'x'", /collection/],
  ])('refuses %s', (text, message) => {
    expect(() => typeFilter(parseFilter(text), TYPE)).toThrow(message);
  });
});

describe('push-down ranges', () => {
  const typed = (text: string) => typeFilter(parseFilter(text), TYPE);

  it('reads the tightest date bounds of the top-level and chain', () => {
    const f = typed(
      "date ge 2024-05-01 and name eq 'x' and date lt 2024-05-08 and date gt 2024-04-01",
    );
    expect(pushedRange(f, 'date')).toEqual({
      lower: { value: '2024-05-01', inclusive: true },
      upper: { value: '2024-05-08', inclusive: false },
    });
    expect(pushedRange(typed('date eq 2024-05-03'), 'date')).toEqual({
      lower: { value: '2024-05-03', inclusive: true },
      upper: { value: '2024-05-03', inclusive: true },
    });
    expect(pushedRange(undefined, 'date')).toEqual({});
  });

  it('refuses a range it cannot send upstream (under or / not, or ne)', () => {
    for (const text of [
      "date ge 2024-05-01 or name eq 'x'",
      'not (date lt 2024-05-01)',
      'date ne 2024-05-01',
    ]) {
      expect(() => pushedRange(typed(text), 'date')).toThrow(/and-ed at the top level/);
    }
  });

  it('reads the values of a top-level eq or in', () => {
    expect(pushedValues(typed("id eq 'a' and n gt 1"), 'id')).toEqual(['a']);
    expect(pushedValues(typed("id in ('a','b')"), 'id')).toEqual(['a', 'b']);
    expect(pushedValues(typed("id eq 'a' or n gt 1"), 'id')).toBeUndefined();
  });
});
