import type {
  CxoneDialect,
  ExportConfig,
  ExportEntitySchema,
  ExportValueType,
} from './app-config.types';
import { ConfigError, Env, readInt, readString } from './env-parsers';

const VALUE_TYPES: readonly ExportValueType[] = ['string', 'integer', 'number', 'boolean'];

/**
 * The Data Extraction entities the gateway knows how to check out of the box. Column names are
 * the human-readable headers of the entity's CSV files; EXPORT_ENTITY_SCHEMAS adds or replaces
 * entries.
 */
export const DEFAULT_EXPORT_ENTITY_SCHEMAS: Readonly<Record<string, ExportEntitySchema>> = {
  'recording-interaction-metadata': {
    required: ['ACD Call ID', 'Segment ID', 'Start Date'],
    key: 'Segment ID',
    windowColumn: 'Start Date',
    types: {},
  },
};

/**
 * The `EXPORT_*` settings. Their defaults and limits depend on the dialect: the real Data
 * Extraction API allows one job per tenant at a time and recommends 1-day windows (2 weeks at
 * most); the v2 surface takes 30-day windows and 3 jobs at once.
 */
export function parseExportConfig(env: Env, dialect: CxoneDialect): ExportConfig {
  const incontact = dialect === 'incontact';
  const maxWindow = incontact ? 14 : 30;
  const maxActive = incontact ? 1 : 3;
  const schemas = parseEntitySchemas(env);
  const entity = readString(env, 'EXPORT_ENTITY', 'recording-interaction-metadata');
  if (incontact && !schemas[entity]) {
    throw new ConfigError(
      'EXPORT_ENTITY',
      `has no schema (required columns and key): add "${entity}" to EXPORT_ENTITY_SCHEMAS (known: ${Object.keys(schemas).join(', ')})`,
    );
  }
  const entityVersion = readString(env, 'EXPORT_ENTITY_VERSION', '7');
  if (!/^[0-9]{1,4}$/.test(entityVersion))
    throw new ConfigError('EXPORT_ENTITY_VERSION', `must be a schema version such as 7`);
  return {
    windowDays: readInt(env, 'EXPORT_WINDOW_DAYS', incontact ? 1 : 30, { min: 1, max: maxWindow }),
    maxActiveJobs: readInt(env, 'EXPORT_MAX_ACTIVE_JOBS', maxActive, { min: 1, max: maxActive }),
    maxSpanDays: readInt(env, 'EXPORT_MAX_SPAN_DAYS', 366, { min: 1 }),
    maxDecompressedBytes: readInt(env, 'EXPORT_MAX_DECOMPRESSED_BYTES', 4 * 1024 ** 3, {
      min: 1024,
    }),
    pollIntervalMs: readInt(env, 'EXPORT_POLL_INTERVAL_MS', incontact ? 5000 : 2000, { min: 10 }),
    windowAttempts: readInt(env, 'EXPORT_WINDOW_ATTEMPTS', 3, { min: 1, max: 10 }),
    maxPerKey: readInt(env, 'EXPORT_MAX_PER_KEY', 5, { min: 1, max: 1000 }),
    retentionHours: readInt(env, 'EXPORT_RETENTION_HOURS', 72, { min: 1, max: 24 * 366 }),
    sweepIntervalS: readInt(env, 'EXPORT_SWEEP_INTERVAL_S', 300, { min: 1, max: 86_400 }),
    entity,
    entityVersion,
    entitySchemas: schemas,
  };
}

/** EXPORT_ENTITY_SCHEMAS: `{"<entity>": {required, key, windowColumn?, types?}}` over the defaults. */
function parseEntitySchemas(env: Env): Record<string, ExportEntitySchema> {
  const text = readString(env, 'EXPORT_ENTITY_SCHEMAS');
  const schemas: Record<string, ExportEntitySchema> = { ...DEFAULT_EXPORT_ENTITY_SCHEMAS };
  if (text === undefined) return schemas;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError('EXPORT_ENTITY_SCHEMAS', 'is not valid JSON');
  }
  if (!isObject(parsed))
    throw new ConfigError('EXPORT_ENTITY_SCHEMAS', 'must be an object of entity → schema');
  for (const [entity, value] of Object.entries(parsed))
    schemas[entity] = entitySchema(entity, value);
  return schemas;
}

function entitySchema(entity: string, value: unknown): ExportEntitySchema {
  const fail = (why: string): never => {
    throw new ConfigError('EXPORT_ENTITY_SCHEMAS', `${entity}: ${why}`);
  };
  if (!isObject(value)) return fail('must be an object');
  const { required, key, windowColumn = null, types = {} } = value;
  if (!isStringList(required) || required.length === 0)
    return fail('required must be a non-empty list of column names');
  if (typeof key !== 'string' || key === '') return fail('key must be a column name');
  if (windowColumn !== null && (typeof windowColumn !== 'string' || windowColumn === ''))
    return fail('windowColumn must be a column name or null');
  if (!isObject(types)) return fail('types must be an object of column → type');
  for (const [column, type] of Object.entries(types))
    if (!VALUE_TYPES.includes(type as ExportValueType))
      return fail(`types.${column} must be one of ${VALUE_TYPES.join(', ')}`);
  return {
    required,
    key,
    windowColumn,
    types: types as Record<string, ExportValueType>,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string' && v !== '');
}
