import request from 'supertest';
import { startTestGateway, TestGateway } from '../utils/test-gateway';

const SUMMARY = '/v1/analytics/summary';
const validBody = {
  metrics: ['handle_time'],
  dimensions: ['channel'],
  start: '2026-01-01T00:00:00Z',
  end: '2026-01-02T00:00:00Z',
};

function expectProblem(res: request.Response, status: number): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  expect(res.body).toMatchObject({ status, type: expect.any(String), title: expect.any(String) });
  expect(res.body.requestId).toBe(res.headers['x-request-id']);
  expect(JSON.stringify(res.body)).not.toMatch(/at \w+ \(|node_modules|\.ts:\d+/);
}

describe('errors are problem+json (e2e)', () => {
  let t: TestGateway;

  beforeAll(async () => {
    t = await startTestGateway({ env: { BODY_LIMIT_BYTES: '4096' } });
  });
  afterAll(() => t.close());

  it('malformed JSON is a 400', async () => {
    const res = await request(t.url)
      .post(SUMMARY)
      .set(t.auth())
      .set('content-type', 'application/json')
      .send('{"metrics": [');
    expectProblem(res, 400);
    expect(res.body.code).toBe('MALFORMED_BODY');
  });

  it('unknown fields and wrong types are a 400 naming every field', async () => {
    const res = await request(t.url)
      .post(SUMMARY)
      .set(t.auth())
      .send({ ...validBody, metrics: 'handle_time', start: 42, sneaky: true });
    expectProblem(res, 400);
    const fields = (res.body.errors as { field: string }[]).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['metrics', 'start', 'sneaky']));
  });

  it('an oversized body is a 413', async () => {
    const res = await request(t.url)
      .post(SUMMARY)
      .set(t.auth())
      .send({ ...validBody, filters: [{ dimension: 'channel', value: 'x'.repeat(8000) }] });
    expectProblem(res, 413);
  });

  it('an unsupported media type is a 415', async () => {
    const res = await request(t.url)
      .post(SUMMARY)
      .set(t.auth())
      .set('content-type', 'application/xml')
      .send('<a/>');
    expectProblem(res, 415);
  });

  it('a JSON body sent as text/plain is a 415 naming the media type, not a field-by-field 400', async () => {
    const res = await request(t.url)
      .post(SUMMARY)
      .set(t.auth())
      .set('content-type', 'text/plain')
      .send(JSON.stringify(validBody));
    expectProblem(res, 415);
    expect(res.body.detail).toContain('Content-Type');
    expect(res.body.detail).toContain('application/json');
  });

  it.each([
    ['GET', '/v1/queues/metrics?x=1'],
    ['GET', '/v1/upstream/status?x=1'],
    ['GET', '/health/details?x=1'],
    ['POST', '/v1/queues/stream-tickets?x=1'],
  ])('%s %s: a route without parameters refuses one, naming it', async (method, path) => {
    const call = method === 'GET' ? request(t.url).get(path) : request(t.url).post(path);
    const res = await call.set(t.auth());
    expectProblem(res, 400);
    expect(res.body.errors).toEqual([{ field: 'x', message: 'x is not an allowed field' }]);
    const plain = path.split('?')[0];
    const ok = method === 'GET' ? request(t.url).get(plain) : request(t.url).post(plain);
    expect((await ok.set(t.auth())).status).toBeLessThan(300);
  });

  it('a stream ticket request with a body field is a 400 naming it', async () => {
    const res = await request(t.url)
      .post('/v1/queues/stream-tickets')
      .set(t.auth())
      .send({ queueIds: ['q1'] });
    expectProblem(res, 400);
    expect(res.body.errors).toEqual([
      { field: 'queueIds', message: 'queueIds is not an allowed field' },
    ]);
  });

  it('a __proto__ key is a 400 saying so, not "not valid JSON"', async () => {
    const res = await request(t.url)
      .post(SUMMARY)
      .set(t.auth())
      .set('content-type', 'application/json')
      .send('{"metrics":["handle_time"],"__proto__":{"admin":true}}');
    expectProblem(res, 400);
    expect(res.body.detail).toContain('__proto__');
  });

  it('deeply nested JSON is a 400, not a stack overflow', async () => {
    const deep = '['.repeat(1000) + ']'.repeat(1000);
    const res = await request(t.url)
      .post(SUMMARY)
      .set(t.auth())
      .set('content-type', 'application/json')
      .send(`{"metrics":${deep}}`);
    expectProblem(res, 400);
    expect(res.body.detail).toContain('deeper');
  });

  it('bad percent-encoding and over-long path parameters are problem+json', async () => {
    const bad = await request(t.url).get('/v1/agents/%E0%A4%A/state-history').set(t.auth());
    expectProblem(bad, 400);
    const long = await request(t.url)
      .get(`/v1/agents/${'a'.repeat(300)}/state-history`)
      .set(t.auth());
    expectProblem(long, 414);
    expect(long.body.detail).toContain('longer than 200 characters');
  });

  it('an unknown route is a 404 problem', async () => {
    const res = await request(t.url).get('/v1/nope/../../etc/passwd').set(t.auth());
    expectProblem(res, 404);
  });

  it('propagates a sane caller request id and replaces an unsafe one', async () => {
    const sane = await request(t.url).get('/health/live').set('x-request-id', 'abc-123.X:1');
    expect(sane.headers['x-request-id']).toBe('abc-123.X:1');
    const unsafe = await request(t.url).get('/health/live').set('x-request-id', 'a b<script>');
    expect(unsafe.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const none = await request(t.url).get('/v1/audit').set(t.auth());
    expect(none.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
