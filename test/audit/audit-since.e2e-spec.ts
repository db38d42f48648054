import request from 'supertest';
import { startTestGateway, type TestGateway } from '../utils/test-gateway';

/** The audit routes read `since` with the one shared date rule (no offset past ±18:00). */
describe('audit since (e2e)', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway();
  });
  afterAll(() => t.close());

  const expectSinceProblem = (res: request.Response): void => {
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.errors).toEqual([
      { field: 'since', message: expect.stringContaining('±HH:MM up to ±18:00') },
    ]);
  };

  // +19:00 and +23:59 fit the class-validator ISO 8601 pattern, but no zone is that far off UTC.
  it.each(['/v1/audit', '/v1/audit/anonymous'])(
    '%s refuses an impossible offset naming since',
    async (path) => {
      for (const since of ['2026-01-01T00:00:00+19:00', '2026-01-01T00:00:00+23:59']) {
        expectSinceProblem(await request(t.url).get(path).query({ since }).set(t.auth()));
      }
    },
  );

  it('accepts an offset within ±18:00 and filters by the instant it names', async () => {
    await request(t.url).get('/health/live').expect(200);
    await request(t.url).get('/v1/queues/stats').set(t.auth()).expect(200);
    const all = await request(t.url).get('/v1/audit').set(t.auth()).expect(200);
    expect(all.body.count).toBeGreaterThan(0);
    // The far future, written with an offset: nothing is that recent.
    const later = await request(t.url)
      .get('/v1/audit')
      .query({ since: '2999-01-01T00:00:00+18:00' })
      .set(t.auth())
      .expect(200);
    expect(later.body.count).toBe(0);
  });
});
