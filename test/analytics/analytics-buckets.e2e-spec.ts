import request from 'supertest';
import { startTestGateway, TestGateway } from '../utils/test-gateway';

/** The sandbox's moderate agent: about 50 state changes a day. */
const AGENT = 'a0000000-0000-4000-8000-000000000002';
const BODY = {
  metrics: ['handle_time', 'talk_time'],
  dimensions: ['date', 'channel'],
  start: '2026-11-01T00:00:00Z',
  end: '2026-11-03T00:00:00Z',
};

/** Time buckets and zones over HTTP against the seed (v2) upstream, which groups by UTC day. */
describe('time buckets and time zones (e2e, v2 dialect)', () => {
  let t: TestGateway;
  const summary = (body: object) =>
    request(t.url).post('/v1/analytics/summary').set(t.auth()).send(body);

  beforeAll(async () => {
    t = await startTestGateway();
  });
  afterAll(() => t.close());

  it('P1D in UTC: every row carries its UTC-day bucket', async () => {
    const res = await summary({ ...BODY, granularity: 'P1D', timeZone: 'UTC' }).expect(200);
    expect(res.body.columns.slice(0, 4)).toEqual(['date', 'bucketStart', 'bucketEnd', 'channel']);
    const rows = res.body.rows as Record<string, string>[];
    expect(new Set(rows.map((r) => r.date))).toEqual(new Set(['2026-11-01', '2026-11-02']));
    for (const row of rows) {
      expect(row.bucketStart).toBe(`${row.date}T00:00:00.000Z`);
      expect(Date.parse(row.bucketEnd) - Date.parse(row.bucketStart)).toBe(86_400_000);
    }
  });

  it('refuses a sub-day granularity or another zone, saying why and naming the field', async () => {
    const res = await summary({ ...BODY, granularity: 'PT1H', timeZone: 'Europe/Berlin' }).expect(
      400,
    );
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'granularity',
      'timeZone',
    ]);
    expect(res.body.errors[0].message).toContain('groups by UTC calendar day');
  });

  it('names timeZone for a zone that does not exist, and granularity for an unknown size', async () => {
    const zone = await summary({ ...BODY, timeZone: 'Europe/Atlantis' }).expect(400);
    expect(zone.body.errors).toEqual([
      { field: 'timeZone', message: expect.stringContaining('IANA time-zone name') },
    ]);
    const size = await summary({ ...BODY, granularity: 'PT5M' }).expect(400);
    expect(size.body.errors).toEqual([
      {
        field: 'granularity',
        message: expect.stringContaining('PT15M, PT30M, PT1H, P1D, P1W, P1M'),
      },
    ]);
  });

  describe('GET /v1/agents/{agentId}/state-history?timeZone=', () => {
    const window = { start: '2026-10-24T22:00:00Z', end: '2026-10-25T23:00:00Z' };
    const history = (query: Record<string, string>) =>
      request(t.url)
        .get(`/v1/agents/${AGENT}/state-history`)
        .query({ ...window, ...query })
        .set(t.auth());

    it('writes the same instants with the zone offset, across the autumn DST change', async () => {
      const utc = await history({}).expect(200);
      const berlin = await history({ timeZone: 'Europe/Berlin' }).expect(200);
      expect(berlin.body.timeZone).toBe('Europe/Berlin');
      expect(berlin.body.start).toBe('2026-10-25T00:00:00.000+02:00');
      expect(berlin.body.end).toBe('2026-10-26T00:00:00.000+01:00');
      const u = utc.body.records as { timestamp: string }[];
      const b = berlin.body.records as { timestamp: string }[];
      expect(b.length).toBe(u.length);
      expect(b.length).toBeGreaterThan(0);
      b.forEach((r, i) => expect(Date.parse(r.timestamp)).toBe(Date.parse(u[i].timestamp)));
      const offsets = new Set(b.map((r) => r.timestamp.slice(-6)));
      expect(offsets).toEqual(new Set(['+02:00', '+01:00']));
      expect(u.every((r) => r.timestamp.endsWith('Z'))).toBe(true);
    });

    it('splits the summary at local midnights: one 25-hour Berlin day', async () => {
      const res = await history({ timeZone: 'Europe/Berlin' }).expect(200);
      const days = res.body.summary.byDay as {
        date: string;
        byState: Record<string, { seconds: number; count: number }>;
      }[];
      expect(days.map((d) => d.date)).toEqual(['2026-10-25']);
      const seconds = Object.values(days[0].byState).reduce((s, x) => s + x.seconds, 0);
      const first = Date.parse(res.body.summary.firstChange as string);
      expect(seconds).toBeCloseTo((Date.parse(window.end) - first) / 1000, 3);
      const utcDays = (await history({}).expect(200)).body.summary.byDay as { date: string }[];
      expect(utcDays.map((d) => d.date)).toEqual(['2026-10-24', '2026-10-25']);
    });

    it('names timeZone when it is not an IANA zone', async () => {
      const res = await history({ timeZone: 'CEST' }).expect(400);
      expect(res.body.errors).toEqual([{ field: 'timeZone', message: expect.any(String) }]);
    });
  });
});
