import request from 'supertest';
import { startTestGateway, TestGateway, TEST_KEYS } from '../utils/test-gateway';

// The wallboard is a static page: it holds no data and gets everything it shows with a key.
const PUBLIC_PREFIXES = ['/health', '/metrics', '/docs', '/wallboard'];

interface RouteUnderTest {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  scope?: string;
  /** The media type its 401 is documented with (problem+json; OData JSON errors on the feed). */
  errorMedia: string;
  /** Documents a 403: a valid key without the route's scope is refused. */
  needsScope: boolean;
}

type DocResponses = Record<string, { content?: Record<string, unknown> }>;

/** Every documented route, with path parameters filled by a plausible id. */
async function documentedRoutes(t: TestGateway): Promise<RouteUnderTest[]> {
  const doc = (await request(t.url).get('/docs-json')).body as {
    paths: Record<string, Record<string, { responses?: DocResponses }>>;
  };
  const routes: RouteUnderTest[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      routes.push({
        method: method as RouteUnderTest['method'],
        path: path.replace(/\{[^}]+\}/g, '3b1f0c4e-8d2a-4c55-9a57-0f2b6f3e1d01'),
        errorMedia: Object.keys(op.responses?.['401']?.content ?? {})[0] ?? 'none documented',
        needsScope: op.responses?.['403'] !== undefined,
      });
    }
  }
  return routes;
}

describe('inbound API-key authentication (e2e)', () => {
  let t: TestGateway;

  beforeAll(async () => {
    t = await startTestGateway();
  });
  afterAll(() => t.close());

  it('refuses every non-public route without a key, with a wrong key, and with no scopes', async () => {
    const routes = (await documentedRoutes(t)).filter(
      (r) => !PUBLIC_PREFIXES.some((p) => r.path.startsWith(p)),
    );
    expect(routes.length).toBeGreaterThanOrEqual(5);
    let tried = 0;
    for (const route of routes) {
      const missing = await request(t.url)[route.method](route.path).send({});
      expect({ route, status: missing.status }).toEqual({ route, status: 401 });
      expect({ route, type: missing.headers['content-type'] }).toEqual({
        route,
        type: expect.stringContaining(route.errorMedia),
      });

      const wrong = await request(t.url)
        [route.method](route.path)
        .set('x-api-key', 'not-a-real-key')
        .send({});
      expect({ route, status: wrong.status }).toEqual({ route, status: 401 });

      const unscoped = await request(t.url)
        [route.method](route.path)
        .set(t.auth(TEST_KEYS.none))
        .send({});
      // A key without scopes is authenticated but may do nothing scoped.
      // (The OData service document and $metadata take any valid key, and document no 403.)
      if (!route.path.startsWith('/v1/sandbox') && route.needsScope) {
        expect({ route, status: unscoped.status }).toEqual({ route, status: 403 });
      }
      tried += 3;
    }
    process.stdout.write(`auth: tried ${tried} unauthenticated/unauthorised calls\n`);
  });

  it('keeps public routes public', async () => {
    for (const path of ['/health/live', '/metrics', '/docs-json']) {
      const res = await request(t.url).get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
    }
  });

  it('accepts the key as Bearer or X-API-Key and enforces scopes (401 vs 403 vs 200)', async () => {
    const bearer = await request(t.url).get('/v1/audit').set(t.auth(TEST_KEYS.all));
    expect(bearer.status).toBe(200);
    const header = await request(t.url).get('/v1/audit').set('x-api-key', TEST_KEYS.all);
    expect(header.status).toBe(200);
    const forbidden = await request(t.url).get('/v1/audit').set(t.auth(TEST_KEYS.reporting));
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect(forbidden.body.detail).toContain('audit:read');
    const malformed = await request(t.url).get('/v1/audit').set('authorization', 'Basic abc');
    expect(malformed.status).toBe(401);
  });

  it('never echoes the presented key', async () => {
    const res = await request(t.url).get('/v1/audit').set('x-api-key', 'secret-looking-key-123');
    expect(JSON.stringify(res.body)).not.toContain('secret-looking-key-123');
  });
});
