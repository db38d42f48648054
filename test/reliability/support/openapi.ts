/** One operation of the gateway's OpenAPI document, reduced to what the fuzzer and the auth sweep need. */
export interface Operation {
  method: string;
  /** OpenAPI template, e.g. `/v1/exports/{id}`. */
  template: string;
  pathParams: string[];
  queryParams: string[];
  /** Top-level property names of the JSON body schema (empty when there is no body). */
  bodyFields: string[];
  hasBody: boolean;
  isPublic: boolean;
  /** The media type of its documented errors: problem+json, or OData JSON errors on the feed. */
  errorMedia: string;
  /** Documents a 403 (the OData service document and $metadata take any valid key). */
  needsScope: boolean;
}

interface RawOperation {
  parameters?: { in: string; name: string }[];
  requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> };
  security?: unknown[];
  responses?: Record<string, { content?: Record<string, unknown> }>;
}

interface OpenApiDoc {
  paths: Record<string, Record<string, RawOperation>>;
  components?: { schemas?: Record<string, { properties?: Record<string, unknown> }> };
}

export async function loadOperations(baseUrl: string): Promise<Operation[]> {
  const res = await fetch(`${baseUrl}/docs-json`);
  if (res.status !== 200) throw new Error(`/docs-json → ${res.status}`);
  const doc = (await res.json()) as OpenApiDoc;
  const operations: Operation[] = [];
  for (const [template, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const params = op.parameters ?? [];
      const ref = op.requestBody?.content?.['application/json']?.schema?.$ref;
      const schema = ref ? doc.components?.schemas?.[ref.split('/').pop() ?? ''] : undefined;
      operations.push({
        method: method.toUpperCase(),
        template,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: params.filter((p) => p.in === 'query').map((p) => p.name),
        bodyFields: Object.keys(schema?.properties ?? {}),
        hasBody: op.requestBody !== undefined,
        isPublic: !op.security || op.security.length === 0,
        errorMedia:
          Object.keys(op.responses?.['401']?.content ?? {})[0] ?? 'application/problem+json',
        needsScope: op.responses?.['403'] !== undefined,
      });
    }
  }
  return operations;
}

/** Fills `{name}` placeholders (values are inserted as given: the caller encodes or not). */
export function fillPath(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? 'x');
}
