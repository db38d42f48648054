import { connect } from 'node:net';
import request from 'supertest';
import { startTestGateway, TestGateway, TEST_KEYS } from '../utils/test-gateway';

jest.setTimeout(60_000);

/** Sends raw bytes and reads the whole answer (the gateway closes after a parser error). */
function rawHttp(
  url: string,
  bytes: string | Buffer,
): Promise<{ status: number; headers: string; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(bytes));
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = data.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), headers: head.toLowerCase(), body });
    });
  });
}

const SUMMARY = {
  metrics: ['handle_time'],
  dimensions: ['date'],
  start: '2024-05-01T00:00:00Z',
  end: '2024-05-02T00:00:00Z',
};

/** Issue 18 items 4 and 10: validation amplification and the smaller inconsistencies. */
describe('input limits and protocol errors (e2e)', () => {
  let t: TestGateway;
  beforeAll(async () => {
    // Redis configured but down (nothing listens on port 1): for the readiness text checks.
    t = await startTestGateway({ env: { REDIS_URL: 'redis://127.0.0.1:1' } });
  });
  afterAll(() => t.close(), 15_000);

  describe('validation amplification', () => {
    it('refuses 60 000 empty filters (a 180 KB body) with one small error naming the limit', async () => {
      const body = JSON.stringify({
        ...SUMMARY,
        filters: Array.from({ length: 60_000 }, () => ({})),
      });
      expect(body.length).toBeGreaterThan(180_000);
      const res = await request(t.url)
        .post('/v1/analytics/summary')
        .set({ ...t.auth(), 'content-type': 'application/json' })
        .send(body);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.errors).toEqual([
        { field: 'filters', message: 'filters must contain no more than 20 elements' },
      ]);
      expect(res.body.errorCount).toBe(1);
      // Before: 15.5 MB of errors, one per element and field.
      expect(res.text.length).toBeLessThan(1000);
    });

    it('lists at most 20 errors and counts the rest (21 bad filters within a larger cap)', async () => {
      const filters = Array.from({ length: 20 }, () => ({ dimension: 7, operator: 'x' }));
      const res = await request(t.url)
        .post('/api/v1/analytics/query')
        .set(t.auth())
        .send({
          ...SUMMARY,
          start_date: 'x',
          end_date: 'y',
          start: undefined,
          end: undefined,
          filters,
        });
      expect(res.status).toBe(400);
      expect(res.body.errors).toHaveLength(20);
      expect(res.body.errorCount).toBeGreaterThan(20);
      expect(res.body.detail).toMatch(/ and \d+ more$/);
    });
  });

  describe('smaller inconsistencies', () => {
    it('honours Accept q-values: text/csv;q=0, application/json answers JSON', async () => {
      const res = await request(t.url)
        .get('/v1/queues/stats')
        .set({ ...t.auth(), accept: 'text/csv;q=0, application/json' })
        .expect(200);
      expect(res.headers['content-type']).toContain('application/json');
      const csv = await request(t.url)
        .get('/v1/queues/stats')
        .set({ ...t.auth(), accept: 'application/json;q=0.5, text/csv' })
        .expect(200);
      expect(csv.headers['content-type']).toContain('text/csv');
    });

    it('/v1/analytics/kpis refuses unknown query parameters like other routes', async () => {
      const res = await request(t.url).get('/v1/analytics/kpis?bogus=1').set(t.auth());
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        { field: 'bogus', message: 'bogus is not an allowed field' },
      ]);
      const bad = await request(t.url).get('/v1/analytics/kpis?include=nope').set(t.auth());
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].field).toBe('include');
      await request(t.url).get('/v1/analytics/kpis?include=capabilities').set(t.auth()).expect(200);
    });

    it('answers a body with invalid UTF-8 with a 400 saying so', async () => {
      const body = Buffer.concat([
        Buffer.from('{"metrics":["'),
        Buffer.from([0xff, 0xfe, 0xc3]),
        Buffer.from('"]}'),
      ]);
      const head =
        'POST /v1/analytics/summary HTTP/1.1\r\nHost: x\r\nConnection: close\r\n' +
        `Authorization: Bearer ${TEST_KEYS.all}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${body.length}\r\n\r\n`;
      const res = await rawHttp(t.url, Buffer.concat([Buffer.from(head), body]));
      expect(res.status).toBe(400);
      expect(res.headers).toContain('content-type: application/problem+json');
      const problem = JSON.parse(res.body) as { detail: string; code: string };
      // Before: "Request body size did not match Content-Length".
      expect(problem).toMatchObject({
        code: 'MALFORMED_BODY',
        detail: 'Request body is not valid UTF-8',
      });
    });

    it.each([
      [
        'oversized headers',
        `GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
        431,
        'HEADERS_TOO_LARGE',
      ],
      [
        'Content-Length with Transfer-Encoding',
        'POST /v1/analytics/summary HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
        400,
        'MALFORMED_REQUEST',
      ],
      [
        'two Content-Length headers',
        'POST /v1/analytics/summary HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}',
        400,
        'MALFORMED_REQUEST',
      ],
      [
        'a NUL in a header',
        'GET /health/live HTTP/1.1\r\nHost: x\r\nX-Test: a\u0000b\r\n\r\n',
        400,
        'MALFORMED_REQUEST',
      ],
    ])('answers %s from the HTTP parser as problem+json', async (_what, bytes, status, code) => {
      const res = await rawHttp(t.url, bytes);
      expect(res.status).toBe(status);
      expect(res.headers).toContain('content-type: application/problem+json');
      const problem = JSON.parse(res.body) as Record<string, unknown>;
      expect(problem).toMatchObject({ status, code, type: expect.stringContaining('/problems/') });
      expect(problem.detail).toEqual(expect.any(String));
      if (_what.includes('Content-Length')) expect(problem.detail).toContain('Content-Length');
    });

    it('shows no Redis error text on the public readiness probe; /health/details (audit:read) does', async () => {
      const ready = await request(t.url).get('/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body.checks.details.redis).toEqual({ mode: 'redis', status: 'down' });
      expect(ready.text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|unreachable/i);
      await request(t.url).get('/health/details').expect(401);
      await request(t.url).get('/health/details').set(t.auth(TEST_KEYS.reporting)).expect(403);
      const details = await request(t.url).get('/health/details').set(t.auth()).expect(200);
      expect(details.body.status).toBe('error');
      expect(details.body.details.redis.message).toMatch(/Redis unreachable/);
    });
  });
});
