import { query as parseQueryText } from '@steedos/odata-v4-parser';
import { notImplemented, ODataQueryError } from '../odata-errors';
import { isValidTimeZone, TIME_ZONE_RULE } from '../../common/validation/time-zone';
import { EntityTypeDef, PropertyDef, propertyOf } from '../odata-model';
import { parseFilter } from './filter-ast';
import { TypedFilter, typeFilter } from './filter-eval';

export interface OrderItem {
  prop: PropertyDef;
  desc: boolean;
}

/** The system and custom query options of one request, checked against its entity type. */
export interface ODataQuery {
  filter?: TypedFilter;
  /** Property names to return; undefined = all. */
  select?: string[];
  orderby: OrderItem[];
  top?: number;
  skip: number;
  count: boolean;
  /** Rows of the requested window already delivered on earlier pages (server-driven paging). */
  skiptoken: number;
  /** Custom options this entity set understands (e.g. timeZone), by name. */
  custom: Record<string, string>;
}

/** Options the feed implements. */
const SUPPORTED = new Set([
  '$filter',
  '$select',
  '$orderby',
  '$top',
  '$skip',
  '$count',
  '$skiptoken',
  '$format',
]);

/** Options OData defines that this read-only, flat feed does not implement: 501, never ignored. */
const NOT_IMPLEMENTED: Record<string, string> = {
  $expand: 'entities have no navigation to expand; read Exports(id)/Records directly',
  $search: 'free-text search is not available; use $filter',
  $apply: 'aggregation is not available; Summaries are already aggregated',
  $compute: 'computed properties are not available',
  $levels: 'there are no recursive hierarchies',
  $index: 'the feed is read-only',
  $schemaversion: 'the feed has a single schema version',
  $deltatoken: 'change tracking is not available',
  $id: 'entity references are not available',
};

const MAX_INT = 2 ** 31 - 1;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function single(name: string, value: unknown): string {
  if (Array.isArray(value)) throw new ODataQueryError(name, `${name} is given more than once`);
  return typeof value === 'string' ? value : String(value);
}

function nonNegativeInt(name: string, text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > MAX_INT) {
    throw new ODataQueryError(
      name,
      `${name} must be a non-negative integer (got ${JSON.stringify(text)})`,
    );
  }
  return Number(text);
}

function declaredProperty(type: EntityTypeDef, option: string, name: string): PropertyDef {
  const prop = propertyOf(type, name);
  if (!prop) {
    throw new ODataQueryError(
      option,
      `${name} is not a property of ${type.name}; properties: ${type.properties.map((p) => p.name).join(', ')}`,
    );
  }
  return prop;
}

function parseSelect(type: EntityTypeDef, text: string): string[] | undefined {
  const items = text.split(',').map((s) => s.trim());
  if (items.includes('*')) return undefined;
  return items.map((name) => {
    if (!IDENTIFIER.test(name)) {
      throw new ODataQueryError(
        '$select',
        `$select lists property names; ${JSON.stringify(name)} is not one`,
      );
    }
    return declaredProperty(type, '$select', name).name;
  });
}

interface OrderToken {
  raw: string;
  value: { expr: { raw: string }; direction: number };
}

function parseOrderBy(type: EntityTypeDef, text: string): OrderItem[] {
  let items: OrderToken[];
  try {
    const parsed = parseQueryText(`$orderby=${text}`) as unknown as {
      value: {
        options: { value: { items: { value: OrderToken['value'] & object; raw: string }[] } }[];
      };
    };
    items = parsed.value.options[0].value.items.map((i) => ({ raw: i.raw, value: i.value }));
  } catch {
    throw new ODataQueryError(
      '$orderby',
      '$orderby must list properties, each optionally asc or desc',
    );
  }
  return items.map((item) => {
    const name = item.value.expr.raw;
    if (!IDENTIFIER.test(name)) {
      throw new ODataQueryError(
        '$orderby',
        `$orderby sorts by properties only; ${name} is not one`,
      );
    }
    const prop = declaredProperty(type, '$orderby', name);
    if (prop.collection)
      throw new ODataQueryError('$orderby', `${name} is a collection and cannot be sorted`);
    return { prop, desc: item.value.direction < 0 };
  });
}

function checkFormat(text: string): void {
  const media = text.split(';')[0].trim().toLowerCase();
  if (media === 'json' || media === 'application/json') return;
  if (media === 'xml' || media === 'atom' || media === 'application/atom+xml') {
    throw notImplemented('$format', 'answers are JSON (only $metadata is XML)');
  }
  throw new ODataQueryError('$format', `$format must be json (got ${JSON.stringify(text)})`);
}

/**
 * Reads the query options of a request for an entity type. Every option is either applied or
 * refused: unknown ones are 400, OData options the feed does not implement are 501, and each
 * error names the option (OData clients show it as the error's target).
 */
export function parseQueryOptions(
  raw: Record<string, unknown>,
  type: EntityTypeDef,
  customOptions: readonly string[],
): ODataQuery {
  const q: ODataQuery = { orderby: [], skip: 0, count: false, skiptoken: 0, custom: {} };
  for (const [name, value] of Object.entries(raw)) {
    const text = single(name, value);
    if (name.startsWith('$')) {
      if (NOT_IMPLEMENTED[name]) throw notImplemented(name, NOT_IMPLEMENTED[name]);
      if (!SUPPORTED.has(name)) {
        throw new ODataQueryError(name, `${name} is not an OData query option this feed knows`);
      }
    } else if (customOptions.includes(name)) {
      if (name === 'timeZone' && !isValidTimeZone(text)) {
        throw new ODataQueryError(
          name,
          `${TIME_ZONE_RULE} (got ${JSON.stringify(text.slice(0, 64))})`,
        );
      }
      q.custom[name] = text;
      continue;
    } else {
      const allowed = customOptions.length ? ` (this set takes ${customOptions.join(', ')})` : '';
      throw new ODataQueryError(name, `unknown query option ${name}${allowed}`);
    }
    switch (name) {
      case '$filter':
        q.filter = typeFilter(parseFilter(text), type);
        break;
      case '$select':
        q.select = parseSelect(type, text);
        break;
      case '$orderby':
        q.orderby = parseOrderBy(type, text);
        break;
      case '$top':
        q.top = nonNegativeInt(name, text);
        break;
      case '$skip':
        q.skip = nonNegativeInt(name, text);
        break;
      case '$skiptoken':
        q.skiptoken = nonNegativeInt(name, text);
        break;
      case '$count':
        if (text !== 'true' && text !== 'false') {
          throw new ODataQueryError(name, '$count must be true or false');
        }
        q.count = text === 'true';
        break;
      case '$format':
        checkFormat(text);
        break;
    }
  }
  return q;
}
