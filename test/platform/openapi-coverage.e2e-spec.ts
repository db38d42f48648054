import request from 'supertest';
import { startDialectPair, type DialectPair } from '../reporting/incontact-helpers';
import { startTestGateway, TEST_KEYS, type TestGateway } from '../utils/test-gateway';

interface Schema {
  type?: string;
  $ref?: string;
  items?: Schema;
  properties?: Record<string, Schema>;
  format?: string;
  nullable?: boolean;
}
interface Operation {
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean }[];
  responses: Record<string, { content?: Record<string, { schema?: Schema; example?: unknown }> }>;
}
interface OpenApiDoc {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; securitySchemes: Record<string, unknown> };
}

/**
 * Served routes that are deliberately not operations: the OpenAPI UI and document themselves,
 * the static files of the documented /wallboard page, and the feed's catch-all (the service
 * document at `/odata/v1/`, else a 404 or 501 for addressing the feed does not offer).
 */
const NOT_OPERATIONS = [
  /^GET \/docs(\/|-json$|-yaml$|$)/,
  /^GET \/wallboard\/wallboard\.(js|css)$/,
  /^GET \/odata\/v1\/?\*$/,
];
/** Routes the document names in the form clients use rather than as the router matches them. */
const ALIASES: Record<string, string> = {
  'GET /odata/v1/{}/Records': "GET /odata/v1/Exports('{}')/Records",
};

/**
 * Every method + path the Fastify router serves, read from its route tree (`printRoutes`),
 * parameters as `{}`; HEAD (added to every GET) left out.
 */
function servedRoutes(t: TestGateway): string[] {
  const tree = t.gateway.app.getHttpAdapter().getInstance().printRoutes({ commonPrefix: false });
  const stack: string[] = [];
  const routes: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([│ ]*)[├└]── (\S+)(?: \(([^)]*)\))?/u.exec(line);
    if (!m) continue;
    const depth = m[1].length / 4;
    stack.length = depth;
    stack.push(m[2]);
    const path = stack.join('').replace(/:[\w|:]+/g, '{}');
    for (const method of (m[3] ?? '').split(',').map((s) => s.trim())) {
      if (method && method !== 'HEAD') routes.push(`${method} ${path}`);
    }
  }
  return routes;
}

function documentedRoutes(doc: OpenApiDoc): Set<string> {
  const out = new Set<string>();
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const method of Object.keys(methods)) {
      out.add(`${method.toUpperCase()} ${path.replace(/\{\w+\}/g, '{}')}`);
    }
  }
  return out;
}

function undocumented(t: TestGateway, doc: OpenApiDoc): string[] {
  const documented = documentedRoutes(doc);
  return servedRoutes(t)
    .filter((r) => !NOT_OPERATIONS.some((re) => re.test(r)))
    .map((r) => ALIASES[r] ?? r)
    .filter((r) => !documented.has(r));
}

const EDM_TO_JSON: Record<string, [string, string | undefined]> = {
  'Edm.String': ['string', undefined],
  'Edm.Boolean': ['boolean', undefined],
  'Edm.Int64': ['integer', 'int64'],
  'Edm.Double': ['number', 'double'],
  'Edm.Date': ['string', 'date'],
  'Edm.DateTimeOffset': ['string', 'date-time'],
};

/** Entity type name → its properties as `name:type:format:nullable`, read from CSDL XML. */
function csdlTypes(xml: string): Map<string, string[]> {
  const types = new Map<string, string[]>();
  for (const [, name, body] of xml.matchAll(/<EntityType Name="(\w+)">(.*?)<\/EntityType>/g)) {
    const props = [...body.matchAll(/<Property Name="(\w+)" Type="([^"]+)"( Nullable="false")?/g)];
    types.set(
      name,
      props.map(([, prop, type, notNull]) => {
        const collection = /^Collection\((.+)\)$/.exec(type);
        const [json, format] = EDM_TO_JSON[collection ? collection[1] : type];
        if (collection) return `${prop}:array<${json}:${format}>`;
        return `${prop}:${json}:${format}:${notNull ? 'required' : 'nullable'}`;
      }),
    );
  }
  return types;
}

function schemaProps(schema: Schema): string[] {
  return Object.entries(schema.properties ?? {}).map(([prop, s]) =>
    s.type === 'array'
      ? `${prop}:array<${s.items?.type}:${s.items?.format}>`
      : `${prop}:${s.type}:${s.format}:${s.nullable ? 'nullable' : 'required'}`,
  );
}

const componentOf = (doc: OpenApiDoc, s: Schema | undefined): Schema | undefined =>
  s?.$ref ? doc.components.schemas[s.$ref.split('/').pop() ?? ''] : s;

/** What is wrong with the feed's operations in the document, against what the feed serves. */
async function odataFaults(t: TestGateway, doc: OpenApiDoc): Promise<string[]> {
  const faults: string[] = [];
  const auth = t.auth(TEST_KEYS.all);
  const offered = (await request(t.url).get('/odata/v1').set(auth).expect(200)).body as {
    value: { name: string }[];
  };
  const offeredNames = offered.value.map((s) => s.name);
  const metadata = await request(t.url).get('/odata/v1/$metadata').set(auth).buffer().expect(200);
  const csdl = csdlTypes(String(metadata.text));
  const odataPaths = Object.entries(doc.paths).filter(([p]) => p.startsWith('/odata/'));
  for (const [path, methods] of odataPaths) {
    const op = methods.get;
    if (!op.security?.some((s) => 'basic' in s)) faults.push(`${path}: Basic not in security`);
    for (const [status, response] of Object.entries(op.responses)) {
      for (const [media, content] of Object.entries(response.content ?? {})) {
        const s = content.schema;
        if (!s?.type && !s?.$ref) faults.push(`${path} ${status} ${media}: no schema`);
        if (status.startsWith('2') && content.example === undefined)
          faults.push(`${path} ${status} ${media}: no example`);
        if (!status.startsWith('2') && s?.$ref !== '#/components/schemas/ODataError')
          faults.push(`${path} ${status}: not the OData error schema`);
      }
    }
  }
  const setPaths = odataPaths.filter(([p]) => /^\/odata\/v1\/\w+$/.test(p));
  for (const [path, methods] of setPaths) {
    const name = path.split('/').pop() ?? '';
    const ok = methods.get.responses['200']?.content?.['application/json'];
    if (!offeredNames.includes(name)) {
      // Routed but not offered by this dialect: documented as such, and really a 404.
      if (ok) faults.push(`${name}: not offered, yet a 200 is documented`);
      const answer = await request(t.url).get(path).set(auth);
      if (answer.status !== 404) faults.push(`${name}: not offered but answers ${answer.status}`);
      continue;
    }
    const rows = componentOf(doc, componentOf(doc, ok?.schema)?.properties?.value?.items);
    const typeName = rows ? (ok?.schema?.properties?.value.items?.$ref ?? '') : '';
    const fromCsdl = csdl.get(typeName.replace('#/components/schemas/OData', ''));
    if (!rows || !fromCsdl) faults.push(`${name}: no row schema matching a $metadata type`);
    else if (schemaProps(rows).join() !== fromCsdl.join())
      faults.push(`${name}: row schema ${schemaProps(rows).join()} ≠ $metadata ${fromCsdl.join()}`);
  }
  const documentedSets = setPaths.map(([p]) => p.split('/').pop());
  for (const name of offeredNames) {
    if (!documentedSets.includes(name)) faults.push(`${name}: offered but not documented`);
  }
  return faults;
}

/** A schema that says what the body is: a type, a reference or a combination. */
function hasShape(schema: Schema | undefined): boolean {
  if (schema === undefined) return false;
  const s = schema as Schema & Record<string, unknown>;
  return ['type', '$ref', 'oneOf', 'anyOf', 'allOf'].some((k) => s[k] !== undefined);
}

/** Operations naming one parameter twice (header names compared case-insensitively). */
function duplicateParameters(doc: OpenApiDoc): string[] {
  const dups: string[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const keys = (op.parameters ?? []).map((p) => `${p.in}:${p.name.toLowerCase()}`);
      for (const k of new Set(keys.filter((k, i) => keys.indexOf(k) !== i)))
        dups.push(`${method} ${path} ${k}`);
    }
  }
  return dups;
}

async function loadDoc(t: TestGateway): Promise<OpenApiDoc> {
  return (await request(t.url).get('/docs-json').expect(200)).body as OpenApiDoc;
}

function describeDocument(dialect: string, start: () => Promise<TestGateway>): void {
  describe(`the OpenAPI document, ${dialect} dialect (e2e)`, () => {
    let t: TestGateway;
    let doc: OpenApiDoc;

    beforeAll(async () => {
      t = await start();
      doc = await loadDoc(t);
    });

    it('names every route the app serves', () => {
      expect(servedRoutes(t).length).toBeGreaterThanOrEqual(20);
      expect(undocumented(t, doc)).toEqual([]);
    });

    it('describes the OData feed from what it serves: schemas, examples, OData errors', async () => {
      expect(Object.keys(doc.paths).filter((p) => p.startsWith('/odata/')).length).toBe(10);
      expect(await odataFaults(t, doc)).toEqual([]);
    });

    it('offers HTTP Basic on every protected operation, and Basic works', async () => {
      expect(doc.components.securitySchemes.basic).toEqual(
        expect.objectContaining({ type: 'http', scheme: 'basic' }),
      );
      const missing = Object.entries(doc.paths).flatMap(([path, methods]) =>
        Object.entries(methods)
          .filter(([, op]) => op.security?.length && !op.security.some((s) => 'basic' in s))
          .map(([method]) => `${method} ${path}`),
      );
      expect(missing).toEqual([]);
      const basic = `Basic ${Buffer.from(`any:${TEST_KEYS.all}`).toString('base64')}`;
      await request(t.url).get('/v1/analytics/kpis').set('authorization', basic).expect(200);
    });

    it('lists each parameter once', () => {
      expect(duplicateParameters(doc)).toEqual([]);
    });

    it('gives every success response with a body a schema', () => {
      const untyped = Object.entries(doc.paths).flatMap(([path, methods]) =>
        Object.entries(methods).flatMap(([method, op]) =>
          Object.entries(op.responses)
            .filter(([status]) => status.startsWith('2'))
            .flatMap(([status, r]) =>
              Object.entries(r.content ?? {})
                .filter(([, c]) => !hasShape(c.schema))
                .map(([media]) => `${method} ${path} ${status} ${media}`),
            ),
        ),
      );
      expect(untyped).toEqual([]);
    });

    it('marks no cache header as required', () => {
      const required = Object.entries(doc.paths).flatMap(([path, methods]) =>
        Object.entries(methods).flatMap(([method, op]) =>
          (op.parameters ?? [])
            .filter((p) => p.in === 'header' && p.required === true)
            .map((p) => `${method} ${path} ${p.name}`),
        ),
      );
      expect(required.filter((r) => /cache-control|if-none-match/i.test(r))).toEqual([]);
      const compat = doc.paths['/api/v1/analytics/query'].post.parameters ?? [];
      expect(compat.filter((p) => p.in === 'header').map((p) => p.name)).toEqual(['Cache-Control']);
    });

    it('types the export records in each format', () => {
      const content = doc.paths['/v1/exports/{id}/records'].get.responses['200'].content ?? {};
      const types = Object.fromEntries(
        Object.entries(content).map(([media, c]) => [media.split(';')[0], c.schema?.type]),
      );
      expect(types).toEqual({
        'application/json': 'array',
        'application/x-ndjson': 'string',
        'text/csv': 'string',
      });
      const record = content['application/json; charset=utf-8'].schema?.items;
      expect(Object.keys(record?.properties ?? {})).toEqual(
        expect.arrayContaining(['id', 'dateFrom', 'duration']),
      );
    });

    afterAll(() => t?.close());
  });
}

describeDocument('v2', () => startTestGateway());

let pair: DialectPair | undefined;
describeDocument('incontact', async () => {
  pair = await startDialectPair({ withV2: false });
  const ic = pair.ic;
  return { ...ic, close: () => pair!.close() };
});
