import { filter as parseFilterText } from '@steedos/odata-v4-parser';
import PrimitiveLiteral from '@steedos/odata-v4-parser/lib/primitiveLiteral';
import { ODataQueryError } from '../odata-errors';

/** A literal as the parser typed it (Edm.String, Edm.Int32, Edm.Date, …, or null). */
export interface Literal {
  edm: string;
  /** Text for strings (unescaped), dates and date-times; a number; a boolean; null. */
  value: string | number | boolean | null;
  raw: string;
}

export type ComparisonOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

/** The filter language the feed supports, independent of the parser's token shapes. */
export type FilterExpr =
  | { kind: 'and' | 'or'; left: FilterExpr; right: FilterExpr }
  | { kind: 'not'; operand: FilterExpr }
  | { kind: 'cmp'; op: ComparisonOp; property: string; literal: Literal }
  | { kind: 'in'; property: string; literals: Literal[] };

/** Parser token shape (the library's Lexer.Token, read defensively). */
interface Token {
  type: string;
  value: unknown;
  raw: string;
  position: number;
  next: number;
}

const COMPARISONS: Record<string, ComparisonOp> = {
  EqualsExpression: 'eq',
  NotEqualsExpression: 'ne',
  GreaterThanExpression: 'gt',
  GreaterOrEqualsExpression: 'ge',
  LesserThanExpression: 'lt',
  LesserOrEqualsExpression: 'le',
};
/** `5 lt x` is `x gt 5`. */
const MIRRORED: Record<ComparisonOp, ComparisonOp> = {
  eq: 'eq',
  ne: 'ne',
  gt: 'lt',
  ge: 'le',
  lt: 'gt',
  le: 'ge',
};

/** Intermediate tree that still knows which groups were parenthesised (see fixNot). */
type Node =
  | { kind: 'and' | 'or'; left: Node; right: Node }
  | { kind: 'paren'; inner: Node }
  | { kind: 'rawNot'; operand: Node }
  | Extract<FilterExpr, { kind: 'cmp' | 'in' }>;

const fail = (message: string): never => {
  throw new ODataQueryError('$filter', message);
};

function isToken(value: unknown): value is Token {
  return typeof value === 'object' && value !== null && 'type' in value && 'raw' in value;
}

function member(token: Token): string | undefined {
  if (token.type !== 'FirstMemberExpression' && token.type !== 'MemberExpression') return undefined;
  // A plain property is FirstMember → Member → PropertyPath → ODataIdentifier; anything deeper
  // (navigation, lambda, function) has a different shape and is refused by the caller.
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(token.raw) ? token.raw : undefined;
}

function unquote(raw: string): string {
  return raw.slice(1, -1).replace(/''/g, "'");
}

function toLiteral(token: Token): Literal {
  const edm = String(token.value);
  const raw = token.raw;
  if (edm === 'null') return { edm, value: null, raw };
  if (edm === 'Edm.String') return { edm, value: unquote(raw), raw };
  if (edm === 'Edm.Boolean') return { edm, value: raw.toLowerCase() === 'true', raw };
  if (/^Edm\.(S?Byte|Int16|Int32|Int64|Decimal|Double|Single)$/.test(edm)) {
    const value = Number(raw);
    if (!Number.isFinite(value)) fail(`the number ${raw} is not finite`);
    return { edm, value, raw };
  }
  if (edm === 'Edm.Date' || edm === 'Edm.DateTimeOffset' || edm === 'Edm.Guid') {
    return { edm, value: raw, raw };
  }
  return fail(`literals of type ${edm} (${raw}) are not supported`);
}

/** The items of an `in` list, read one by one with the parser's own literal grammar. */
function listLiterals(raw: string): Literal[] {
  // The parser reads UTF-16 code units, as JavaScript strings hold them.
  const units = Uint16Array.from({ length: raw.length }, (_, i) => raw.charCodeAt(i));
  const out: Literal[] = [];
  const skip = (i: number): number => {
    while (units[i] === 0x20) i += 1;
    return i;
  };
  let i = skip(1);
  for (;;) {
    const token = PrimitiveLiteral.primitiveLiteral(units, i) as Token | undefined;
    if (!token) return fail(`the list ${raw} must hold literals only`);
    out.push(toLiteral({ ...token, raw: raw.slice(i, token.next) }));
    i = skip(token.next);
    if (units[i] === 0x2c) {
      i = skip(i + 1);
      continue;
    }
    if (units[i] === 0x29 && skip(i + 1) === units.length) return out;
    return fail(`the list ${raw} is not a comma-separated list of literals`);
  }
}

function comparison(
  op: ComparisonOp,
  left: Token,
  right: Token,
): Extract<FilterExpr, { kind: 'cmp' }> {
  const l = member(left);
  const r = member(right);
  if (l !== undefined && right.type === 'Literal') {
    return { kind: 'cmp', op, property: l, literal: toLiteral(right) };
  }
  if (r !== undefined && left.type === 'Literal') {
    return { kind: 'cmp', op: MIRRORED[op], property: r, literal: toLiteral(left) };
  }
  return fail(
    `compare one declared property with one literal (got ${left.raw} ${op} ${right.raw})`,
  );
}

function binary(token: Token): { left: Token; right: Token } {
  const v = token.value as { left?: unknown; right?: unknown } | undefined;
  if (!isToken(v?.left) || !isToken(v?.right)) return fail(`cannot read ${token.raw}`);
  return { left: v.left, right: v.right };
}

/** The array literal a list operand stands for (bare, or wrapped in a CommonExpression). */
function arrayLiteral(value: unknown): Token | undefined {
  const inner = isToken(value) && value.type === 'CommonExpression' ? value.value : value;
  return isToken(inner) && inner.type === 'Literal' && inner.value === 'Edm.Array'
    ? inner
    : undefined;
}

function startsWithArray(value: unknown): boolean {
  let node = value;
  while (isToken(node) && (node.type === 'AndExpression' || node.type === 'OrExpression')) {
    node = (node.value as { left?: unknown }).left;
  }
  return arrayLiteral(node) !== undefined;
}

/** The operands of a mis-built in-tail, left to right: the list first, then whole expressions. */
function flattenTail(value: unknown, out: Token[]): void {
  const array = arrayLiteral(value);
  if (array) {
    out.push(array);
  } else if (isToken(value) && startsWithArray(value)) {
    const v = value.value as { left?: unknown; right?: unknown };
    flattenTail(v.left, out);
    flattenTail(v.right, out);
  } else if (isToken(value)) {
    out.push(value);
  } else if (typeof value === 'object' && value !== null) {
    const v = value as { left?: unknown; right?: unknown };
    flattenTail(v.left, out);
    flattenTail(v.right, out);
  }
}

/**
 * The parser reads `x in (…) and/or rest` as In(x, <list and rest, operators partly lost>).
 * This takes the operands in source order, reads each operator back from the text between
 * them, and rebuilds the tree with `and` binding tighter than `or`.
 */
function repairIn(property: string, right: unknown, whole: string, source: string): Node {
  const items: Token[] = [];
  flattenTail(right, items);
  const [list, ...rest] = items;
  if (!list || arrayLiteral(list) === undefined || rest.length === 0) {
    return fail(`cannot read the in-expression ${whole}`);
  }
  const groups: Node[][] = [[{ kind: 'in', property, literals: listLiterals(list.raw) }]];
  let previous = list;
  for (const item of rest) {
    const end = endOf(previous);
    const op = end === undefined ? '' : source.slice(end, item.position).trim().toLowerCase();
    if (op !== 'and' && op !== 'or') return fail(`cannot read the in-expression ${whole}`);
    if (op === 'or') groups.push([]);
    groups[groups.length - 1].push(convert(item, source));
    previous = item;
  }
  return groups
    .map((g) => g.reduce((acc, n) => combine('and', acc, n)))
    .reduce((a, b) => ({ kind: 'or', left: a, right: b }));
}

/** `P and T` / `P or T` where T was parsed on its own: `and` binds tighter than `or`. */
function combine(op: 'and' | 'or', first: Node, rest: Node): Node {
  if (op === 'and' && rest.kind === 'or') {
    return { kind: 'or', left: combine('and', first, rest.left), right: rest.right };
  }
  return { kind: op, left: first, right: rest };
}

function convert(token: Token, source: string): Node {
  const op = COMPARISONS[token.type];
  if (op) {
    const { left, right } = binary(token);
    return comparison(op, left, right);
  }
  switch (token.type) {
    case 'AndExpression':
    case 'OrExpression': {
      const { left, right } = binary(token);
      return {
        kind: token.type === 'AndExpression' ? 'and' : 'or',
        left: convert(left, source),
        right: convert(right, source),
      };
    }
    case 'NotExpression':
      if (!isToken(token.value)) return fail(`cannot read ${token.raw}`);
      return { kind: 'rawNot', operand: convert(token.value, source) };
    case 'BoolParenExpression':
    case 'ParenExpression':
      if (!isToken(token.value)) return fail(`cannot read ${token.raw}`);
      return { kind: 'paren', inner: convert(token.value, source) };
    case 'CommonExpression':
      if (!isToken(token.value)) return fail(`cannot read ${token.raw}`);
      return convert(token.value, source);
    case 'InExpression': {
      const { left, right } = token.value as { left?: unknown; right?: unknown };
      if (!isToken(left) || typeof right !== 'object' || right === null) {
        return fail(`cannot read ${token.raw}`);
      }
      const property = member(left);
      if (property === undefined) return fail(`the left side of in must be a property`);
      if (isToken(right) && right.type === 'Literal') {
        return { kind: 'in', property, literals: listLiterals(right.raw) };
      }
      return repairIn(property, right, token.raw, source);
    }
    case 'MethodCallExpression':
      return fail(
        `functions are not supported (${token.raw}); use eq ne gt ge lt le and or not in`,
      );
    default:
      return fail(`${token.raw} is not supported; use eq ne gt ge lt le and or not in`);
  }
}

/**
 * OData gives `not` a higher precedence than `and`/`or`, but the grammar the parser follows
 * lets `not` swallow the rest: `not A or B` arrives as not(A or B). Pushing the `not` down to
 * the leftmost operand of an unparenthesised and/or chain restores (not A) or B.
 */
function fixNot(node: Node): FilterExpr {
  switch (node.kind) {
    case 'paren':
      return fixNot(node.inner);
    case 'rawNot':
      return pushNot(node.operand);
    case 'and':
    case 'or':
      return { kind: node.kind, left: fixNot(node.left), right: fixNot(node.right) };
    case 'cmp':
    case 'in':
      return node;
  }
}

function pushNot(operand: Node): FilterExpr {
  if (operand.kind === 'and' || operand.kind === 'or') {
    return { kind: operand.kind, left: pushNot(operand.left), right: fixNot(operand.right) };
  }
  return { kind: 'not', operand: fixNot(operand) };
}

/**
 * Where a token ends. The mis-built in-expression (see repairIn) has no end of its own, nor has
 * any expression whose last operand it is; their end is that of the rightmost operand.
 */
function endOf(token: Token): number | undefined {
  if (typeof token.next === 'number') return token.next;
  if (isToken(token.value)) return endOf(token.value);
  const right = (token.value as { right?: unknown } | undefined)?.right;
  if (isToken(right)) return endOf(right);
  const tail = (right as { right?: unknown } | undefined)?.right;
  return isToken(tail) ? endOf(tail) : undefined;
}

/** Parses `$filter` text into the feed's filter tree; every problem is a 400 naming $filter. */
export function parseFilter(text: string): FilterExpr {
  if (text.trim() === '') fail('$filter is empty');
  let token: Token;
  try {
    token = parseFilterText(text);
  } catch (err) {
    const at = /at (\d+)/.exec((err as Error).message)?.[1];
    // The parser cannot read `(x in (…) or …)`; the same with `(x in (…))` wrapped it can.
    const hint = / in\s*\(/.test(text)
      ? '; inside parentheses, wrap an in-expression that and/or follows in its own: ((x in (…)) or …)'
      : '';
    return fail(
      `$filter is not a valid OData expression${at ? ` (near character ${at})` : ''}${hint}`,
    );
  }
  if (!isToken(token) || endOf(token) !== text.length) {
    return fail('$filter is not a valid OData expression');
  }
  return fixNot(convert(token, text));
}
