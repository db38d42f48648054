import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { MAX_LISTED_ERRORS, type FieldError } from '../errors/app-error';
import { notAllowedField } from './field-messages';

/**
 * Longest array a DTO property may receive when its class declares no `@ArrayMaxSize`: a
 * safety net, so a new array field is never unbounded by omission.
 */
export const DEFAULT_MAX_ARRAY = 1000;

interface PropertyRules {
  maxItems?: number;
  maxMessage?: string;
  /** The class of nested objects (`@ValidateNested` + `@Type`). */
  nested?: new () => object;
}

/** Rules per class, computed once: the metadata never changes after the decorators ran. */
const rulesCache = new WeakMap<object, Map<string, PropertyRules>>();

/**
 * Size checks made on the raw input BEFORE class-transformer and class-validator see it: an
 * array longer than its `@ArrayMaxSize` (or DEFAULT_MAX_ARRAY) and more unknown fields than a
 * problem lists are refused after reading `.length` / the keys, without building or validating
 * a single element. Otherwise `"filters":[{},{},…]` with 60 000 elements costs 60 000 instances
 * and 120 000 errors before the one error that matters. Returns the refusals; empty = go on.
 */
export function checkInputBounds(metatype: object, value: unknown, parent = ''): FieldError[] {
  if (!isPlainObject(value)) return [];
  const rules = rulesOf(metatype);
  const errors: FieldError[] = [];
  const unknown = Object.keys(value).filter((key) => !rules.has(key));
  if (unknown.length > MAX_LISTED_ERRORS) {
    // forbidNonWhitelisted would list each one; a problem lists MAX_LISTED_ERRORS anyway.
    return unknown.map((key) => ({
      field: join(parent, key),
      message: notAllowedField(join(parent, key)),
    }));
  }
  for (const [property, rule] of rules) {
    const raw = value[property];
    const field = join(parent, property);
    if (Array.isArray(raw)) {
      const max = rule.maxItems ?? DEFAULT_MAX_ARRAY;
      if (raw.length > max) {
        errors.push({
          field,
          message: rule.maxMessage ?? `${field} must contain no more than ${max} elements`,
        });
        continue;
      }
      if (rule.nested) {
        const nested = rule.nested;
        raw.forEach((item, i) => errors.push(...checkInputBounds(nested, item, join(field, i))));
      }
    } else if (rule.nested) {
      errors.push(...checkInputBounds(rule.nested, raw, field));
    }
  }
  return errors;
}

function rulesOf(metatype: object): Map<string, PropertyRules> {
  const cached = rulesCache.get(metatype);
  if (cached) return cached;
  const metas: ValidationMetadata[] = getMetadataStorage().getTargetValidationMetadatas(
    metatype as new () => object,
    '',
    false,
    false,
  );
  const rules = new Map<string, PropertyRules>();
  for (const meta of metas) {
    const rule = rules.get(meta.propertyName) ?? {};
    rules.set(meta.propertyName, rule);
    if (meta.name === 'arrayMaxSize' && typeof meta.constraints?.[0] === 'number') {
      rule.maxItems = meta.constraints[0];
      if (typeof meta.message === 'string') rule.maxMessage = meta.message;
    }
    if (meta.type === ValidationTypes.NESTED_VALIDATION) {
      const type = defaultMetadataStorage.findTypeMetadata(
        metatype as new () => object,
        meta.propertyName,
      );
      const nested = type?.typeFunction() as (new () => object) | undefined;
      if (typeof nested === 'function') rule.nested = nested;
    }
  }
  rulesCache.set(metatype, rules);
  return rules;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function join(parent: string, key: string | number): string {
  return parent ? `${parent}.${key}` : String(key);
}
