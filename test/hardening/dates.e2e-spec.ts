import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import request from 'supertest';
import { parseIsoInstant as analyticsParser } from '../../src/analytics/analytics-query';
import { parseIsoInstant as sharedParser } from '../../src/common/validation/iso-instant';
import { parseIsoInstant as reportingParser } from '../../src/reporting/common/iso-instant';
import { FAST_EXPORT_ENV, FAST_SANDBOX } from '../export/export-helpers';
import { startTestGateway, TestGateway } from '../utils/test-gateway';

jest.setTimeout(60_000);

const AGENT = 'a0000000-0000-4000-8000-000000000002';
const INPUTS = [
  '2024-05-01',
  '2024-05-01T00:00:00',
  '2024-05-01 08:30',
  '2024-05-01T12:00:00+02:00',
  '2024-05-01T00:00:00Z',
];

interface Probe {
  localOffsetMin: number;
  naiveDateParse: number;
  parsed: (string | null)[];
  exportRange: string[];
  historyRange: number[];
}

function probeIn(tz: string): Probe {
  const run = spawnSync(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      join(__dirname, 'tz-probe.ts'),
      JSON.stringify(INPUTS),
    ],
    { cwd: join(__dirname, '../..'), env: { ...process.env, TZ: tz }, encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(`tz-probe failed under ${tz}: ${run.stderr}`);
  return JSON.parse(run.stdout) as Probe;
}

/** Issue 18 item 8: one date rule everywhere — no offset means UTC; impossible offsets are 400s. */
describe('dates and offsets (e2e)', () => {
  it('every endpoint family reads dates with the same parser', () => {
    expect(analyticsParser).toBe(sharedParser);
    expect(reportingParser).toBe(sharedParser);
  });

  it('reads zone-less input as UTC whatever the server TZ (export DTO, history, parser)', () => {
    const utc = probeIn('UTC');
    for (const tz of ['America/New_York', 'Asia/Kolkata']) {
      const other = probeIn(tz);
      // The child really ran in another zone: Date.parse moves, as the export endpoint did.
      expect(other.localOffsetMin).not.toBe(0);
      expect(other.naiveDateParse).not.toBe(utc.naiveDateParse);
      expect(other.parsed).toEqual(utc.parsed);
      expect(other.exportRange).toEqual(utc.exportRange);
      expect(other.historyRange).toEqual(utc.historyRange);
    }
    expect(utc.parsed).toEqual([
      '2024-05-01T00:00:00.000Z',
      '2024-05-01T00:00:00.000Z',
      '2024-05-01T08:30:00.000Z',
      '2024-05-01T10:00:00.000Z',
      '2024-05-01T00:00:00.000Z',
    ]);
    expect(utc.exportRange).toEqual(['2024-05-01T00:00:00.000Z', '2024-05-02T00:00:00.000Z']);
    expect(utc.historyRange).toEqual([Date.UTC(2024, 4, 1), Date.UTC(2024, 4, 1, 6)]);
  });

  describe('over HTTP', () => {
    let t: TestGateway;
    beforeAll(async () => {
      t = await startTestGateway({ env: FAST_EXPORT_ENV, sandbox: FAST_SANDBOX });
    });
    afterAll(() => t.close());

    const summary = (start: string, end = '2024-05-03T00:00:00Z') =>
      request(t.url)
        .post('/v1/analytics/summary')
        .set(t.auth())
        .send({ metrics: ['handle_time'], dimensions: ['date'], start, end });

    const expectFieldProblem = (res: request.Response, field: string): void => {
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          { field, message: expect.stringContaining('±HH:MM up to ±18:00') },
        ]),
      );
    };

    it.each(['2024-05-01T00:00:00+25:00', '2024-05-01T00:00:00+99:99'])(
      'analytics summary refuses start %s naming start',
      async (start) => expectFieldProblem(await summary(start), 'start'),
    );

    it('analytics compat query refuses an impossible offset naming start_date', async () => {
      const res = await request(t.url)
        .post('/api/v1/analytics/query')
        .set(t.auth())
        .send({
          metrics: ['handle_time'],
          dimensions: ['date'],
          start_date: '2024-05-01T00:00:00+99:99',
          end_date: '2024-05-03T00:00:00Z',
        });
      expectFieldProblem(res, 'start_date');
    });

    it('analytics reads a zone-less range as UTC (one daily row, 2024-05-01)', async () => {
      const res = await summary('2024-05-01T00:00:00', '2024-05-02T00:00:00').expect(200);
      expect(res.body.rows.map((r: { date: string }) => r.date)).toEqual(['2024-05-01']);
    });

    it('exports refuse an impossible offset naming the field', async () => {
      const res = await request(t.url)
        .post('/v1/exports')
        .set(t.auth())
        .send({ start: '2024-05-01T00:00:00+25:00', end: '2024-05-02T00:00:00+99:99' });
      expectFieldProblem(res, 'start');
      expectFieldProblem(res, 'end');
    });

    it('exports take a zone-less range as UTC', async () => {
      const res = await request(t.url)
        .post('/v1/exports')
        .set(t.auth())
        .send({ start: '2024-05-01T00:00:00', end: '2024-05-02T00:00:00' })
        .expect(202);
      expect(res.body.windows[0]).toEqual({
        dateFrom: '2024-05-01T00:00:00.000Z',
        dateTo: '2024-05-02T00:00:00.000Z',
      });
    });

    it('history refuses an impossible offset and reads a zone-less time as UTC', async () => {
      const base = `/v1/agents/${AGENT}/state-history`;
      const bad = await request(t.url)
        .get(`${base}?start=2026-01-09T00:00:00%2B99:99&end=2026-01-10T00:00:00Z`)
        .set(t.auth());
      expectFieldProblem(bad, 'start');
      const ok = await request(t.url)
        .get(`${base}?start=2026-01-09T00:00:00&end=2026-01-09T06:00:00`)
        .set(t.auth())
        .expect(200);
      expect([ok.body.start, ok.body.end]).toEqual([
        '2026-01-09T00:00:00.000Z',
        '2026-01-09T06:00:00.000Z',
      ]);
    });

    it('OData refuses a DateTimeOffset literal with an offset past ±18:00', async () => {
      const filter = `agentId eq '${AGENT}' and timestamp ge 2026-01-09T00:00:00+23:00`;
      const res = await request(t.url)
        .get(`/odata/v1/AgentStateChanges?$filter=${encodeURIComponent(filter)}`)
        .set(t.auth());
      expect(res.status).toBe(400);
      expect(res.body.error.target).toBe('$filter');
      expect(res.body.error.message).toContain('is not a real date-time');
    });
  });
});
