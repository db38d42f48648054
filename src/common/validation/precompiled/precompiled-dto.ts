import Ajv, { type ValidateFunction } from 'ajv';
import { TransformationType, type TransformFnParams } from 'class-transformer';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { matches, ValidationTypes } from 'class-validator';
import {
  type DtoClass,
  dtoJsonSchema,
  nestedClassOf,
  validationMetadataOf,
} from './dto-json-schema';

/** The DTOs of hot routes, marked by @PrecompiledValidation(). */
const marked = new Set<DtoClass>();

/**
 * Marks a DTO whose inputs are checked by a schema compiled once (ajv) before class-validator
 * is asked: an input the schema accepts becomes the DTO at once; any other input is validated by
 * class-validator as before, so every refusal keeps its exact message. For the DTOs of hot
 * routes, where class-validator's per-request walk over the decorator metadata (and its promise
 * per rule) is most of what validation costs.
 */
export function PrecompiledValidation(): ClassDecorator {
  return (target) => {
    marked.add(target as unknown as DtoClass);
  };
}

/** The DTO classes marked so far (their modules are loaded). */
export function precompiledDtoClasses(): DtoClass[] {
  return [...marked];
}

export function isPrecompiledDto(metatype: unknown): metatype is DtoClass {
  return marked.has(metatype as DtoClass);
}

/**
 * One ajv for every DTO schema; `matchesRegExp` calls class-validator's own `matches`. The
 * schemas are written by dtoJsonSchema, not by hand, so they are not checked against the
 * JSON Schema meta-schema (compiling it would add ≈ 70 ms to startup); strict mode still refuses
 * an unknown keyword.
 */
function createAjv(): Ajv {
  const ajv = new Ajv({ allErrors: false, strict: true, validateSchema: false });
  ajv.addKeyword({
    keyword: 'matchesRegExp',
    type: 'string',
    schemaType: 'object',
    compile: (schema: { source: string; flags: string }) => {
      const regExp = new RegExp(schema.source, schema.flags);
      return (data: string) => matches(data, regExp);
    },
  });
  return ajv;
}

type TransformFn = (params: TransformFnParams) => unknown;

/** How an accepted input becomes the DTO, as class-transformer's plainToInstance would do it. */
interface BuildPlan {
  metatype: DtoClass;
  transforms: Map<string, TransformFn[]>;
  nested: Map<string, BuildPlan>;
}

/**
 * A DTO's compiled schema and build plan. `accept` answers the DTO instance for an input that
 * the schema accepts (the same instance ValidationPipe with `transform: true` would answer,
 * specs compare them), or undefined: then class-validator decides and words the refusal.
 */
export class PrecompiledDto<T extends object = object> {
  private static readonly ajv = createAjv();

  private constructor(
    private readonly validate: ValidateFunction,
    private readonly plan: BuildPlan,
  ) {}

  /** Throws UnsupportedDtoError when a decorator of the DTO has no schema equivalent. */
  static compile<T extends object>(metatype: new () => T): PrecompiledDto<T> {
    const validate = PrecompiledDto.ajv.compile(dtoJsonSchema(metatype));
    return new PrecompiledDto<T>(validate, planOf(metatype));
  }

  accept(value: unknown): T | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    const input = withTransforms(this.plan, value as Record<string, unknown>);
    return this.validate(input) ? (build(this.plan, input) as T) : undefined;
  }
}

function planOf(metatype: DtoClass): BuildPlan {
  const transforms = new Map<string, TransformFn[]>();
  const nested = new Map<string, BuildPlan>();
  const metas = validationMetadataOf(metatype);
  for (const property of new Set(metas.map((meta) => meta.propertyName))) {
    const fns = defaultMetadataStorage
      .findTransformMetadatas(metatype, property, TransformationType.PLAIN_TO_CLASS)
      .map((meta) => meta.transformFn);
    if (fns.length) transforms.set(property, fns);
  }
  for (const meta of metas) {
    if (meta.type !== ValidationTypes.NESTED_VALIDATION) continue;
    nested.set(meta.propertyName, planOf(nestedClassOf(metatype, meta.propertyName)));
  }
  return { metatype, transforms, nested };
}

/** The input with the DTO's `@Transform`s applied (what the schema checks), copied if any ran. */
function withTransforms(plan: BuildPlan, value: Record<string, unknown>): Record<string, unknown> {
  if (!plan.transforms.size) return value;
  const out: Record<string, unknown> = { ...value };
  for (const [key, fns] of plan.transforms) {
    if (!(key in value)) continue;
    for (const fn of fns) {
      out[key] = fn({
        value: out[key],
        key,
        obj: value,
        type: TransformationType.PLAIN_TO_CLASS,
        options: {},
      });
    }
  }
  return out;
}

/** The DTO instance of a schema-checked input: nested objects become their classes. */
function build(plan: BuildPlan, value: Record<string, unknown>): object {
  const out = new plan.metatype() as Record<string, unknown>;
  for (const key of Object.keys(value)) {
    const item = value[key];
    const nested = plan.nested.get(key);
    if (Array.isArray(item)) {
      const items = item as unknown[];
      out[key] = nested
        ? items.map((element) => build(nested, element as Record<string, unknown>))
        : [...items];
    } else {
      out[key] = nested ? build(nested, item as Record<string, unknown>) : item;
    }
  }
  return out;
}
