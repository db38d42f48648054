import type {
  OpenAPIObject,
  OperationObject,
  ParameterObject,
  PathItemObject,
  ResponseObject,
  SchemaObject,
  SecurityRequirementObject,
} from '@nestjs/swagger';
import { DEFAULT_TIME_ZONE, GRANULARITIES } from '../../analytics/buckets/time-buckets';
import type { CxoneDialect } from '../../config/app-config.types';
import { renderMetadata, serviceDocument } from '../odata-metadata';
import type { EntitySetDef, EntityTypeDef, ODataModel } from '../odata-model';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../query/apply-query';
import {
  collectionExample,
  collectionSchema,
  ERROR_SCHEMA,
  errorSchema,
  ref,
  rowSchema,
  rowSchemaName,
  SERVICE_DOCUMENT_SCHEMA,
  serviceDocumentSchema,
} from './odata-openapi.schemas';

/** The routes of the feed as the OpenAPI document names them. */
export const ODATA_ROOT = '/odata/v1';
export const RECORDS_PATH = `${ODATA_ROOT}/Exports('{id}')/Records`;
/** Every entity set the controller routes; the bound dialect's model offers a subset. */
const ROUTED_SETS = [
  'Queues',
  'AgentStateChanges',
  'Summaries',
  'AgentSummaries',
  'TeamSummaries',
  'Kpis',
  'Exports',
] as const;
const SAMPLE_ROOT = 'https://gateway.example.com/odata/v1';

/** Which dialects offer a set (the summary sets follow the dialect's analytics sources). */
const AVAILABILITY: Record<string, string> = {
  AgentSummaries: 'Offered by the v2 and incontact dialects (the agent grain).',
  TeamSummaries:
    'Offered by the incontact dialect only (its team summaries); the v2 dialect has no team ' +
    'grain and answers 404.',
};

const SECURITY: SecurityRequirementObject[] = [{ bearer: [] }, { apiKey: [] }, { basic: [] }];

const ERRORS: Record<number, string> = {
  400: 'A query option is invalid or unknown (`error.target` names it)',
  401: 'Missing or unknown API key; carries `WWW-Authenticate: Basic`, so BI dialogs prompt',
  403: 'The API key lacks the scope of this set',
  404: 'No such resource (or a set the bound dialect does not offer)',
  409: 'The export has not completed yet',
  410: 'The export’s results have been removed (expired or deleted)',
  429: 'Rate limited; see Retry-After',
  501: 'An OData feature this feed does not implement (`error.target` names it)',
  502: 'CXone answered with an error',
  503: 'CXone unavailable or circuit open; see Retry-After',
  504: 'CXone timed out',
};

function errorResponses(statuses: readonly number[]): Record<string, ResponseObject> {
  return Object.fromEntries(
    statuses.map((status) => [
      String(status),
      {
        description: `${ERRORS[status]} (OData JSON error format)`,
        ...(status === 401
          ? { headers: { 'WWW-Authenticate': { schema: { type: 'string' } } } }
          : {}),
        content: { 'application/json': { schema: ref(ERROR_SCHEMA) } },
      },
    ]),
  );
}

function query(name: string, description: string, schema: SchemaObject): ParameterObject {
  return { name, in: 'query', required: false, description, schema };
}

const FORMAT = query('$format', '`json` (or `application/json`); `xml` / `atom` are 501', {
  type: 'string',
  example: 'json',
});

/** The system query options every collection takes, less those named in `without`. */
function systemOptions(without: readonly string[] = []): ParameterObject[] {
  const int = { type: 'integer', minimum: 0, maximum: 2 ** 31 - 1 } as const;
  return [
    query(
      '$filter',
      '`eq ne gt ge lt le and or not in` and parentheses on declared (non-collection) ' +
        'properties; literals are type-checked against the property',
      { type: 'string', example: "queueId eq 'c0000000-0000-4000-8000-000000000001'" },
    ),
    query('$select', 'Property names, comma-separated, or `*`', { type: 'string' }),
    query('$orderby', 'Properties, each `asc` or `desc`; the key always follows', {
      type: 'string',
    }),
    query('$top', 'At most this many rows (non-negative integer)', int),
    query('$skip', 'Skip this many rows (non-negative integer)', int),
    query('$count', '`true`: add `@odata.count`', { type: 'string', enum: ['true', 'false'] }),
    query('$skiptoken', 'Issued by the feed in `@odata.nextLink` only', int),
    FORMAT,
  ].filter((p) => !without.includes(p.name));
}

const CUSTOM_OPTIONS: Record<string, ParameterObject> = {
  timeZone: query(
    'timeZone',
    `IANA time zone of local dates (and of \`date\` ranges in \`$filter\`), as in /v1; default ${DEFAULT_TIME_ZONE}`,
    { type: 'string', maxLength: 64, example: 'Europe/Berlin' },
  ),
  granularity: query('granularity', 'Size of the `date` buckets, as in /v1 (default P1D)', {
    type: 'string',
    enum: [...GRANULARITIES],
  }),
};

const PREFER: ParameterObject = {
  name: 'Prefer',
  in: 'header',
  required: false,
  description: `\`odata.maxpagesize=N\`: rows a page (default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE})`,
  schema: { type: 'string', example: 'odata.maxpagesize=500' },
};

const PAGE_HEADERS = {
  'OData-Version': { schema: { type: 'string', example: '4.0' } },
  'Preference-Applied': {
    description: 'When `Prefer: odata.maxpagesize` was sent',
    schema: { type: 'string', example: 'odata.maxpagesize=500' },
  },
};

const NOT_IMPLEMENTED_NOTE =
  '`$expand`, `$search`, `$apply`, `$compute`, `$levels`, `$index`, `$schemaversion`, ' +
  '`$deltatoken` and `$id` are 501; any other unknown option is 400; nothing is ignored.';

function collectionOk(type: EntityTypeDef, context: string): ResponseObject {
  return {
    description: `One page of ${context} (OData JSON, odata.metadata=minimal)`,
    headers: PAGE_HEADERS,
    content: {
      'application/json': {
        schema: collectionSchema(type),
        example: collectionExample(SAMPLE_ROOT, context, type),
      },
    },
  };
}

function setOperation(name: string, set: EntitySetDef | undefined, dialect: string) {
  const availability = AVAILABILITY[name] ? ` ${AVAILABILITY[name]}` : '';
  const upstream = name === 'Kpis' || name === 'Exports' ? [] : [502, 503, 504];
  const op: OperationObject = {
    tags: ['odata'],
    operationId: `ODataController_${name}`,
    summary: `OData entity set ${name}`,
    description:
      (set
        ? `Scope ${set.scope}. Rows of ${set.type.name} (key ${set.type.key.join(', ')}), ` +
          'the same types as `$metadata`; server-driven paging via `@odata.nextLink`.'
        : `Not offered by the bound dialect (${dialect}): answers 404.`) +
      `${availability} ${NOT_IMPLEMENTED_NOTE} See docs/odata.md.`,
    security: SECURITY,
    parameters: set
      ? [...systemOptions(), ...set.customOptions.map((o) => CUSTOM_OPTIONS[o]), PREFER]
      : [],
    responses: {
      ...(set ? { '200': collectionOk(set.type, name) } : {}),
      ...errorResponses([400, 401, 403, 404, 429, 501, ...(set ? upstream : [])]),
    },
  };
  return op;
}

function recordsOperation(model: ODataModel): OperationObject {
  const type = model.contained[0];
  return {
    tags: ['odata'],
    operationId: 'ODataController_records',
    summary: 'OData: the records of one export',
    description:
      'Scope export:read. The records of a completed (or partial) export of the caller, in ' +
      'export order (`$orderby` is 501), streamed and paged. ' +
      NOT_IMPLEMENTED_NOTE,
    security: SECURITY,
    parameters: [
      {
        name: 'id',
        in: 'path',
        required: true,
        description: 'Export id (at most 64 characters, no quote)',
        schema: { type: 'string', maxLength: 64, pattern: "^[^']{1,64}$" },
      },
      ...systemOptions(['$orderby']),
      PREFER,
    ],
    responses: {
      '200': collectionOk(type, "Exports('0b9c2f4e-1d7a-4c55-9a43-7e1f2d3c4b5a')/Records"),
      ...errorResponses([400, 401, 403, 404, 409, 410, 429, 501]),
    },
  };
}

function serviceOperation(model: ODataModel): OperationObject {
  return {
    tags: ['odata'],
    operationId: 'ODataController_service',
    summary: 'OData service document: the entity sets offered',
    description:
      'Any valid key (no scope). Also at `/odata/v1/`, the URL BI dialogs are usually given. ' +
      'Lists the sets the bound dialect offers.',
    security: SECURITY,
    parameters: [FORMAT],
    responses: {
      '200': {
        description: 'Service document',
        headers: { 'OData-Version': PAGE_HEADERS['OData-Version'] },
        content: {
          'application/json': {
            schema: ref(SERVICE_DOCUMENT_SCHEMA),
            example: serviceDocument(model, SAMPLE_ROOT),
          },
        },
      },
      ...errorResponses([400, 401, 429, 501]),
    },
  };
}

function metadataOperation(model: ODataModel): OperationObject {
  return {
    tags: ['odata'],
    operationId: 'ODataController_metadata',
    summary: 'OData $metadata: CSDL XML of the feed',
    description: 'Any valid key (no scope). Entity types, keys, Edm types and the container.',
    security: SECURITY,
    parameters: [
      query('$format', '`xml` or `application/xml` only; anything else is 501', {
        type: 'string',
        example: 'xml',
      }),
    ],
    responses: {
      '200': {
        description: 'CSDL XML (OData 4.0)',
        headers: { 'OData-Version': PAGE_HEADERS['OData-Version'] },
        content: {
          'application/xml': { schema: { type: 'string' }, example: renderMetadata(model) },
        },
      },
      ...errorResponses([400, 401, 429, 501]),
    },
  };
}

/**
 * Adds the OData feed to an OpenAPI document, described from the bound dialect's model (the
 * same one $metadata renders), so the row schemas cannot drift from what the feed serves.
 */
export function addODataPaths(
  document: OpenAPIObject,
  model: ODataModel,
  dialect: CxoneDialect,
): OpenAPIObject {
  const paths: Record<string, PathItemObject> = {
    [ODATA_ROOT]: { get: serviceOperation(model) },
    [`${ODATA_ROOT}/$metadata`]: { get: metadataOperation(model) },
  };
  for (const name of ROUTED_SETS) {
    paths[`${ODATA_ROOT}/${name}`] = { get: setOperation(name, model.set(name), dialect) };
  }
  paths[RECORDS_PATH] = { get: recordsOperation(model) };
  const types = [...model.sets.map((s) => s.type), ...model.contained];
  const schemas = {
    ...Object.fromEntries(types.map((t) => [rowSchemaName(t), rowSchema(t)])),
    [ERROR_SCHEMA]: errorSchema(),
    [SERVICE_DOCUMENT_SCHEMA]: serviceDocumentSchema(),
  };
  return {
    ...document,
    paths: { ...document.paths, ...paths },
    components: {
      ...document.components,
      schemas: { ...document.components?.schemas, ...schemas },
    },
  };
}
