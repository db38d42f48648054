import type { ReferenceObject, SchemaObject } from '@nestjs/swagger';
import type { EdmType, EntityTypeDef, PropertyDef } from '../odata-model';

/** Component name of an entity type's row schema, e.g. `ODataQueue`. */
export const rowSchemaName = (type: EntityTypeDef): string => `OData${type.name}`;
export const ERROR_SCHEMA = 'ODataError';
export const SERVICE_DOCUMENT_SCHEMA = 'ODataServiceDocument';

export const ref = (name: string): ReferenceObject => ({ $ref: `#/components/schemas/${name}` });

const EDM_SCHEMAS: Record<EdmType, SchemaObject> = {
  'Edm.String': { type: 'string' },
  'Edm.Boolean': { type: 'boolean' },
  'Edm.Int64': { type: 'integer', format: 'int64' },
  'Edm.Double': { type: 'number', format: 'double' },
  'Edm.Date': { type: 'string', format: 'date' },
  'Edm.DateTimeOffset': { type: 'string', format: 'date-time' },
};

/** One sample value per Edm type, for the examples. */
const EDM_EXAMPLES: Record<EdmType, unknown> = {
  'Edm.String': 'text',
  'Edm.Boolean': false,
  'Edm.Int64': 12,
  'Edm.Double': 42.5,
  'Edm.Date': '2026-01-14',
  'Edm.DateTimeOffset': '2026-01-14T09:00:00Z',
};

function propertySchema(p: PropertyDef): SchemaObject {
  const item = { ...EDM_SCHEMAS[p.type], description: p.type };
  if (p.collection) return { type: 'array', items: item, description: `Collection(${p.type})` };
  return p.nullable ? { ...item, nullable: true } : item;
}

/**
 * An entity type as a JSON schema: every declared property with its Edm type. Rows carry every
 * property (null where there is no value) unless `$select` names fewer, so none is `required`.
 */
export function rowSchema(type: EntityTypeDef): SchemaObject {
  return {
    type: 'object',
    description: `${type.name} (key: ${type.key.join(', ')}); the property list of $metadata`,
    properties: Object.fromEntries(type.properties.map((p) => [p.name, propertySchema(p)])),
    additionalProperties: false,
  };
}

/** A row of sample values, one per property. */
export function exampleRow(type: EntityTypeDef): Record<string, unknown> {
  return Object.fromEntries(
    type.properties.map((p) => [
      p.name,
      p.collection ? [EDM_EXAMPLES[p.type]] : EDM_EXAMPLES[p.type],
    ]),
  );
}

/** The answer to an entity-set read: `@odata.context`, `@odata.count`, `value`, `@odata.nextLink`. */
export function collectionSchema(type: EntityTypeDef): SchemaObject {
  return {
    type: 'object',
    required: ['@odata.context', 'value'],
    properties: {
      '@odata.context': {
        type: 'string',
        format: 'uri',
        description: 'Absolute `$metadata` URL with the set (and the `$select` list when given)',
      },
      '@odata.count': {
        type: 'integer',
        description: 'With `$count=true` only: rows matching `$filter`, before paging',
      },
      value: { type: 'array', items: ref(rowSchemaName(type)) },
      '@odata.nextLink': {
        type: 'string',
        format: 'uri',
        description:
          'Present when more rows remain: this request’s URL with the next `$skiptoken`, ' +
          'every other option kept',
      },
    },
  };
}

export function collectionExample(root: string, context: string, type: EntityTypeDef): object {
  return {
    '@odata.context': `${root}/$metadata#${context}`,
    '@odata.count': 1,
    value: [exampleRow(type)],
    '@odata.nextLink': `${root}/${context}?%24count=true&%24skiptoken=1`,
  };
}

/** The OData JSON error body (OData JSON Format §21), as odataErrorBody builds it. */
export function errorSchema(): SchemaObject {
  const detail: SchemaObject = {
    type: 'object',
    properties: {
      code: { type: 'string' },
      message: { type: 'string' },
      target: { type: 'string' },
    },
  };
  return {
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        properties: {
          code: { type: 'string', description: 'The gateway error code, e.g. VALIDATION_FAILED' },
          message: { type: 'string' },
          target: { type: 'string', description: 'The query option or path segment at fault' },
          details: { type: 'array', items: detail, description: 'When several fields failed' },
          innererror: {
            type: 'object',
            properties: { requestId: { type: 'string', description: 'As in X-Request-Id' } },
          },
        },
      },
    },
  };
}

export function serviceDocumentSchema(): SchemaObject {
  return {
    type: 'object',
    required: ['@odata.context', 'value'],
    properties: {
      '@odata.context': { type: 'string', format: 'uri' },
      value: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            kind: { type: 'string', enum: ['EntitySet'] },
            url: { type: 'string', description: 'Relative to the service root' },
          },
        },
      },
    },
  };
}
