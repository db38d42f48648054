import { TransformationType } from 'class-transformer';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

/** A DTO class as class-validator and class-transformer see it. */
export type DtoClass = new () => object;

/** The JSON Schema subset this module writes (what ajv compiles for a precompiled DTO). */
export interface DtoSchema {
  type?: 'object' | 'array' | 'string' | 'number' | 'integer';
  properties?: Record<string, DtoSchema>;
  required?: string[];
  additionalProperties?: false;
  items?: DtoSchema;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: true;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  enum?: unknown[];
  /** A regular expression with its flags, checked by class-validator's own `matches`. */
  matchesRegExp?: { source: string; flags: string };
}

const PLAIN_TO_CLASS = TransformationType.PLAIN_TO_CLASS;

/** A decorator the schema cannot express; such a DTO keeps class-validator alone. */
export class UnsupportedDtoError extends Error {
  constructor(metatype: DtoClass, property: string, what: string) {
    super(`${metatype.name}.${property}: ${what} cannot be precompiled`);
  }
}

/**
 * The JSON Schema of a DTO, read from its class-validator decorators (one source of truth: the
 * decorators keep their messages, the schema is derived). It is never laxer than the decorators
 * — only then may an input it accepts skip class-validator — and may be stricter, which costs
 * only the fallback:
 * - a property without `@IsOptional` is required, and an optional one refuses `null` (which
 *   `@IsOptional` lets through);
 * - a property with an `each` rule must be an array (class-validator would also check a lone
 *   value);
 * - `maxLength` counts code points, class-validator counts them too but also forgives the
 *   variation selectors U+FE0E/U+FE0F, so it never refuses what the schema accepts;
 * - `uniqueItems` compares deeply, `@ArrayUnique` by identity (stricter only for objects).
 * Anything else — groups, `always`, a custom or conditional rule other than `@IsOptional`, a
 * `@Type` without `@ValidateNested`, a transform on a nested class — throws UnsupportedDtoError.
 */
export function dtoJsonSchema(metatype: DtoClass, nested = false): DtoSchema {
  const byProperty = new Map<string, ValidationMetadata[]>();
  for (const meta of validationMetadataOf(metatype)) {
    byProperty.set(meta.propertyName, [...(byProperty.get(meta.propertyName) ?? []), meta]);
  }
  const properties: Record<string, DtoSchema> = {};
  const required: string[] = [];
  for (const [property, metas] of byProperty) {
    if (
      nested &&
      defaultMetadataStorage.findTransformMetadatas(metatype, property, PLAIN_TO_CLASS).length
    ) {
      throw new UnsupportedDtoError(metatype, property, 'a transform in a nested class');
    }
    const rules = propertyRules(metatype, property, metas);
    properties[property] = rules.schema;
    if (!rules.optional) required.push(property);
  }
  return { type: 'object', properties, required, additionalProperties: false };
}

interface PropertyRules {
  schema: DtoSchema;
  optional: boolean;
}

function propertyRules(
  metatype: DtoClass,
  property: string,
  metas: ValidationMetadata[],
): PropertyRules {
  const own: DtoSchema[] = [];
  const each: DtoSchema[] = [];
  let optional = false;
  let isArray = false;
  for (const meta of metas) {
    if (meta.groups?.length || meta.always) {
      throw new UnsupportedDtoError(metatype, property, 'a rule with groups or always');
    }
    if (meta.type === ValidationTypes.CONDITIONAL_VALIDATION && meta.name === 'isOptional') {
      optional = true;
    } else if (meta.type === ValidationTypes.NESTED_VALIDATION) {
      (meta.each ? each : own).push(dtoJsonSchema(nestedClassOf(metatype, property), true));
    } else if (meta.type === ValidationTypes.CUSTOM_VALIDATION) {
      if (meta.name === 'isArray') isArray = true;
      (meta.each ? each : own).push(constraintSchema(metatype, property, meta));
    } else {
      throw new UnsupportedDtoError(metatype, property, `a ${meta.type} rule`);
    }
  }
  const typeFunction = defaultMetadataStorage.findTypeMetadata(metatype, property);
  if (typeFunction && !metas.some((m) => m.type === ValidationTypes.NESTED_VALIDATION)) {
    throw new UnsupportedDtoError(metatype, property, '@Type without @ValidateNested');
  }
  const fail = (what: string) => new UnsupportedDtoError(metatype, property, what);
  if (each.length || isArray) own.push({ type: 'array', items: merge(each, fail) });
  return { schema: merge(own, fail), optional };
}

/** One constraint of class-validator's built-in decorators, as JSON Schema. */
function constraintSchema(
  metatype: DtoClass,
  property: string,
  meta: ValidationMetadata,
): DtoSchema {
  const [first, second] = (meta.constraints ?? []) as unknown[];
  switch (meta.name ?? '') {
    case 'isArray':
      return { type: 'array' };
    case 'arrayMinSize':
      return { type: 'array', minItems: Number(first) };
    case 'arrayMaxSize':
      return { type: 'array', maxItems: Number(first) };
    case 'arrayUnique':
      if (first !== undefined) break; // a custom identity: not what uniqueItems compares
      return { type: 'array', uniqueItems: true };
    case 'isString':
      return { type: 'string' };
    case 'maxLength':
      return { type: 'string', maxLength: Number(first) };
    case 'isInt':
      return { type: 'integer' };
    // @Min and @Max refuse anything but a number, as the schema's type says.
    case 'min':
      return { type: 'number', minimum: Number(first) };
    case 'max':
      return { type: 'number', maximum: Number(first) };
    case 'isIn':
      if (!Array.isArray(first)) break;
      return { type: 'string', enum: first.filter((value) => typeof value === 'string') };
    case 'matches': {
      const regExp = first instanceof RegExp ? first : new RegExp(String(first), String(second));
      return { type: 'string', matchesRegExp: { source: regExp.source, flags: regExp.flags } };
    }
  }
  throw new UnsupportedDtoError(metatype, property, `@${meta.name ?? 'an unnamed rule'}`);
}

/** The class-validator rules of a DTO, its parents' included (no groups). */
export function validationMetadataOf(metatype: DtoClass): ValidationMetadata[] {
  return getMetadataStorage().getTargetValidationMetadatas(metatype, '', false, false);
}

/** The class of a `@ValidateNested` property, from its `@Type`. */
export function nestedClassOf(metatype: DtoClass, property: string): DtoClass {
  const nested = defaultMetadataStorage.findTypeMetadata(metatype, property)?.typeFunction();
  if (typeof nested !== 'function') {
    throw new UnsupportedDtoError(metatype, property, '@ValidateNested without @Type');
  }
  return nested as DtoClass;
}

/** All of the schemas at once; two rules of one kind that disagree are not merged. */
function merge(schemas: DtoSchema[], fail: (what: string) => Error): DtoSchema {
  const out: Partial<DtoSchema> = {};
  for (const schema of schemas) {
    for (const [key, value] of Object.entries(schema) as [keyof DtoSchema, unknown][]) {
      // An integer is a number: `@IsInt` with `@Min` is an integer with a minimum.
      if (key === 'type' && isNumeric(value) && isNumeric(out.type)) {
        if (value === 'integer') out.type = 'integer';
        continue;
      }
      const known = out[key];
      if (known !== undefined && JSON.stringify(known) !== JSON.stringify(value)) {
        throw fail(`two different ${key} rules`);
      }
      (out as Record<string, unknown>)[key] = value;
    }
  }
  return out;
}

function isNumeric(type: unknown): boolean {
  return type === 'number' || type === 'integer';
}
