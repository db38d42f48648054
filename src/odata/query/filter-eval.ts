import { DateTime } from 'luxon';
import { parseIsoInstant } from '../../common/validation/iso-instant';
import { ODataQueryError } from '../odata-errors';
import { EntityTypeDef, PropertyDef, propertyOf } from '../odata-model';
import type { ComparisonOp, FilterExpr, Literal } from './filter-ast';

/** A literal as the value it is compared as: text, a number, a boolean, or null. */
type Comparable = string | number | boolean | null;

/** A filter whose literals are checked against the entity type and converted once. */
export type TypedFilter =
  | { kind: 'and' | 'or'; left: TypedFilter; right: TypedFilter }
  | { kind: 'not'; operand: TypedFilter }
  | { kind: 'cmp'; op: ComparisonOp; prop: PropertyDef; value: Comparable }
  | { kind: 'in'; prop: PropertyDef; values: Comparable[] };

const fail = (message: string): never => {
  throw new ODataQueryError('$filter', message);
};

const NUMERIC = /^Edm\.(S?Byte|Int16|Int32|Int64|Decimal|Double|Single)$/;

function realDate(text: string): boolean {
  return DateTime.fromISO(text, { zone: 'UTC' }).isValid;
}

/** Converts a literal for a property, or refuses it naming both types. */
function coerce(prop: PropertyDef, literal: Literal): Comparable {
  const mismatch = (): never =>
    fail(`${prop.name} is ${prop.type}; ${literal.raw} is ${literal.edm}`);
  if (literal.edm === 'null') {
    if (!prop.nullable) fail(`${prop.name} is never null`);
    return null;
  }
  switch (prop.type) {
    case 'Edm.String':
      return literal.edm === 'Edm.String' || literal.edm === 'Edm.Guid'
        ? String(literal.value)
        : mismatch();
    case 'Edm.Boolean':
      return literal.edm === 'Edm.Boolean' ? Boolean(literal.value) : mismatch();
    case 'Edm.Int64':
    case 'Edm.Double':
      return NUMERIC.test(literal.edm) ? Number(literal.value) : mismatch();
    case 'Edm.Date': {
      // A date-time against a date compares by the calendar date it is written with.
      const text = String(literal.value);
      if (literal.edm !== 'Edm.Date' && literal.edm !== 'Edm.DateTimeOffset') return mismatch();
      const date = text.slice(0, 10);
      if (!realDate(date)) fail(`${literal.raw} is not a real calendar date`);
      return date;
    }
    case 'Edm.DateTimeOffset': {
      if (literal.edm !== 'Edm.DateTimeOffset') return mismatch();
      // The gateway's one date parser: an impossible offset (+23:00 passes the grammar) is a 400.
      const ms = parseIsoInstant(String(literal.value));
      return ms === undefined ? fail(`${literal.raw} is not a real date-time`) : ms;
    }
  }
}

function declared(type: EntityTypeDef, name: string): PropertyDef {
  const prop = propertyOf(type, name);
  if (!prop) {
    return fail(
      `${name} is not a property of ${type.name}; properties: ${type.properties.map((p) => p.name).join(', ')}`,
    );
  }
  if (prop.collection) fail(`${name} is a collection and cannot be filtered`);
  return prop;
}

/** Checks every property and literal of a filter against an entity type (400s name $filter). */
export function typeFilter(expr: FilterExpr, type: EntityTypeDef): TypedFilter {
  switch (expr.kind) {
    case 'and':
    case 'or':
      return {
        kind: expr.kind,
        left: typeFilter(expr.left, type),
        right: typeFilter(expr.right, type),
      };
    case 'not':
      return { kind: 'not', operand: typeFilter(expr.operand, type) };
    case 'cmp': {
      const prop = declared(type, expr.property);
      const value = coerce(prop, expr.literal);
      const ordered = expr.op !== 'eq' && expr.op !== 'ne';
      if (ordered && (prop.type === 'Edm.Boolean' || value === null)) {
        fail(
          `${expr.op} needs an ordered value; ${prop.name} ${expr.op} ${expr.literal.raw} is not`,
        );
      }
      return { kind: 'cmp', op: expr.op, prop, value };
    }
    case 'in': {
      const prop = declared(type, expr.property);
      return { kind: 'in', prop, values: expr.literals.map((l) => coerce(prop, l)) };
    }
  }
}

/** A row's value in the form its property's literals were converted to. */
function rowValue(prop: PropertyDef, row: Record<string, unknown>): Comparable {
  const raw = row[prop.name];
  if (raw === null || raw === undefined) return null;
  if (prop.type === 'Edm.DateTimeOffset') {
    const ms = typeof raw === 'string' ? Date.parse(raw) : Number.NaN;
    return Number.isNaN(ms) ? null : ms;
  }
  if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') return raw;
  return null;
}

function compare(op: ComparisonOp, a: Comparable, b: Comparable): boolean {
  if (op === 'eq') return a === b;
  if (op === 'ne') return a !== b;
  // OData: an ordered comparison with null is false.
  if (a === null || b === null) return false;
  switch (op) {
    case 'gt':
      return a > b;
    case 'ge':
      return a >= b;
    case 'lt':
      return a < b;
    case 'le':
      return a <= b;
  }
}

/** Whether a row satisfies a typed filter. */
export function matches(filter: TypedFilter, row: Record<string, unknown>): boolean {
  switch (filter.kind) {
    case 'and':
      return matches(filter.left, row) && matches(filter.right, row);
    case 'or':
      return matches(filter.left, row) || matches(filter.right, row);
    case 'not':
      return !matches(filter.operand, row);
    case 'cmp':
      return compare(filter.op, rowValue(filter.prop, row), filter.value);
    case 'in': {
      const v = rowValue(filter.prop, row);
      return filter.values.some((x) => x === v);
    }
  }
}

/** The operands of the top-level `and` chain. */
export function conjuncts(filter: TypedFilter): TypedFilter[] {
  return filter.kind === 'and' ? [...conjuncts(filter.left), ...conjuncts(filter.right)] : [filter];
}

function mentions(filter: TypedFilter, name: string): boolean {
  switch (filter.kind) {
    case 'and':
    case 'or':
      return mentions(filter.left, name) || mentions(filter.right, name);
    case 'not':
      return mentions(filter.operand, name);
    case 'cmp':
    case 'in':
      return filter.prop.name === name;
  }
}

/** A bound of a pushed-down range: a date (YYYY-MM-DD) or an instant (epoch ms). */
export interface Bound<T> {
  value: T;
  inclusive: boolean;
}

export interface PushedRange<T> {
  lower?: Bound<T>;
  upper?: Bound<T>;
}

/**
 * The range a filter puts on one property through its top-level `and` chain (eq, gt, ge, lt,
 * le; the tightest bound wins). A condition on it anywhere else (under or / not, or in an `in`)
 * cannot be pushed down to the upstream query, so it is refused naming why.
 */
export function pushedRange<T extends string | number>(
  filter: TypedFilter | undefined,
  name: string,
): PushedRange<T> {
  const range: PushedRange<T> = {};
  if (!filter) return range;
  for (const c of conjuncts(filter)) {
    if (!mentions(c, name)) continue;
    if (c.kind !== 'cmp' || c.op === 'ne' || c.value === null) {
      return fail(
        `conditions on ${name} must be eq, gt, ge, lt or le and-ed at the top level of $filter, ` +
          'so they can be sent upstream as the query range',
      );
    }
    const value = c.value as T;
    if (c.op === 'eq' || c.op === 'gt' || c.op === 'ge') {
      tighten(range, 'lower', { value, inclusive: c.op !== 'gt' });
    }
    if (c.op === 'eq' || c.op === 'lt' || c.op === 'le') {
      tighten(range, 'upper', { value, inclusive: c.op !== 'lt' });
    }
  }
  return range;
}

function tighten<T extends string | number>(
  range: PushedRange<T>,
  side: 'lower' | 'upper',
  bound: Bound<T>,
): void {
  const current = range[side];
  const better =
    !current ||
    (side === 'lower' ? bound.value > current.value : bound.value < current.value) ||
    (bound.value === current.value && !bound.inclusive);
  if (better) range[side] = bound;
}

/** The values a top-level `eq` / `in` gives one property (undefined when it has none). */
export function pushedValues(
  filter: TypedFilter | undefined,
  name: string,
): Comparable[] | undefined {
  if (!filter) return undefined;
  for (const c of conjuncts(filter)) {
    if (c.kind === 'cmp' && c.op === 'eq' && c.prop.name === name) return [c.value];
    if (c.kind === 'in' && c.prop.name === name) return c.values;
  }
  return undefined;
}
