import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import request from 'supertest';
import { parse } from 'csv-parse/sync';
import type { DataExtractionTruth } from '../../src/sandbox/incontact/data-extraction/de-truth';
import { SandboxControlClient } from '../../src/sandbox/sandbox-control.client';
import { startTestGateway, testRedisUrl, type TestGateway } from '../utils/test-gateway';
import {
  createIncontactExport,
  FINISHED,
  recordsText,
  startIncontactStack,
  waitForIncontactExport,
  type IncontactStack,
} from './incontact-export.helpers';

/**
 * Exports in the incontact dialect against the sandbox's Data Extraction API over HTTP: one job
 * per UTC day, creates 31 s apart on the shared clock (skipped, never slept), the CSV fetched from
 * the pre-signed URL without the CXone token, counts equal to the sandbox truth.
 */
jest.setTimeout(90_000);

const RANGE_3D = { start: '2024-05-01T00:00:00Z', end: '2024-05-04T00:00:00Z' };
const TRUTH_3D = { startDate: '2024-05-01', endDate: '2024-05-04', windowDays: 1 };

/** The export counts the sandbox truth predicts. */
function countsOf(truth: DataExtractionTruth) {
  const { received, valid, duplicates, schemaErrors, outsideWindow } = truth;
  return { received, valid, duplicates, schemaErrors, outsideWindow };
}
const COLUMNS = [
  'ACD Call ID',
  'Start Date',
  'Voice Recording Status',
  'Agent 1 Skills',
  'Agent 1 ACD ID',
  'Agent 1 Name',
  'Agent 1 Team',
  'ANI',
  'DNIS',
  'Disposition',
  'Agent 1 Contact Number',
  'Segment ID',
];

describe('Exports in the incontact dialect (e2e, Data Extraction)', () => {
  let stack: IncontactStack;
  let t: TestGateway;
  let control: SandboxControlClient;

  beforeAll(async () => {
    stack = await startIncontactStack({ dataExtraction: { rowsPerDay: 400, runningMs: 1500 } });
    t = stack.gateways[0];
    control = new SandboxControlClient(stack.sandbox.url);
  });
  afterAll(() => stack?.close());

  describe('a 3-day export', () => {
    let id: string;
    let created: request.Response;

    beforeAll(async () => {
      await control.reset();
      created = await request(t.url).post('/v1/exports').set(t.auth()).send(RANGE_3D).expect(202);
      id = created.body.id as string;
      await waitForIncontactExport(stack, t, id);
    });

    it('makes one Data Extraction job per UTC day, endDate exclusive, creates 30 s apart or more', async () => {
      expect(created.body.windows).toEqual([
        { dateFrom: '2024-05-01T00:00:00.000Z', dateTo: '2024-05-02T00:00:00.000Z' },
        { dateFrom: '2024-05-02T00:00:00.000Z', dateTo: '2024-05-03T00:00:00.000Z' },
        { dateFrom: '2024-05-03T00:00:00.000Z', dateTo: '2024-05-04T00:00:00.000Z' },
      ]);
      const creates = await control.requests('dataExtractionCreate');
      expect(creates.map((r) => r.body)).toEqual(
        ['01', '02', '03'].map((d) => ({
          entityName: 'recording-interaction-metadata',
          version: '7',
          startDate: `2024-05-${d}`,
          endDate: `2024-05-0${Number(d) + 1}`,
        })),
      );
      const at = creates.map((r) => Date.parse(r.at));
      // Sent 31 s apart by the gateway's clock; arrivals keep the documented 30 s at least.
      expect(at[1] - at[0]).toBeGreaterThanOrEqual(30_000);
      expect(at[2] - at[1]).toBeGreaterThanOrEqual(30_000);
      const snapshot = await stack.de.snapshot();
      expect(snapshot.throttled).toEqual({ create: 0, list: 0, get: 0 });
      expect(snapshot.jobs).toMatchObject({
        created: 3,
        runningHighWater: 1,
        createsWhileRunning: 0,
      });
    });

    it('downloads each file without the CXone token', async () => {
      const { storage } = await stack.de.snapshot();
      expect(storage).toMatchObject({ served: 3, refusedAuthorization: 0, expired: 0 });
    });

    it('counts exactly what the sandbox truth says', async () => {
      const res = await request(t.url).get(`/v1/exports/${id}`).set(t.auth()).expect(200);
      const truth = await stack.de.truth(TRUTH_3D);
      expect(res.body.status).toBe('completed');
      expect(res.body.counts).toEqual(countsOf(truth));
      expect(truth.duplicates).toBeGreaterThan(0);
      expect(truth.schemaErrors).toBeGreaterThan(0);
    });

    it('serves the records as JSON (strings, the CSV header as fields), NDJSON and CSV', async () => {
      const truth = await stack.de.truth(TRUTH_3D);
      const json = JSON.parse(await recordsText(t, id, 'json')) as Record<string, unknown>[];
      expect(json).toHaveLength(truth.valid);
      expect(Object.keys(json[0])).toEqual(COLUMNS);
      expect(json.every((r) => Object.values(r).every((v) => typeof v === 'string'))).toBe(true);
      expect(new Set(json.map((r) => r['Segment ID'])).size).toBe(truth.valid);
      expect(json.some((r) => r.Disposition === 'Escalated\nTier 2 review')).toBe(true);
      const ndjson = (await recordsText(t, id, 'ndjson')).split('\n').filter(Boolean);
      expect(ndjson).toHaveLength(truth.valid);
      const rows: string[][] = parse(await recordsText(t, id, 'csv'), { bom: true });
      expect(rows[0]).toEqual(COLUMNS);
      expect(rows).toHaveLength(truth.valid + 1);
    });
  });

  describe('refusals and failures', () => {
    beforeEach(async () => {
      await control.reset();
      await control.clearFaults();
    });

    it('refuses fields and ranges the dialect cannot take, naming them', async () => {
      const post = (body: object) => request(t.url).post('/v1/exports').set(t.auth()).send(body);
      const notMidnight = await post({ start: '2024-05-01T06:00:00Z', end: RANGE_3D.end });
      expect(notMidnight.status).toBe(400);
      expect(notMidnight.body.errors).toEqual([
        { field: 'start', message: expect.stringMatching(/^start must be a UTC midnight/) },
      ]);
      const entity = await post({ ...RANGE_3D, entity: 'qm-workflows' });
      expect(entity.status).toBe(400);
      expect(entity.body.errors[0]).toMatchObject({ field: 'entity' });
      const version = await post({ ...RANGE_3D, version: 7 });
      expect(version.status).toBe(400);
      expect(version.body.errors[0]).toMatchObject({ field: 'version' });
      expect((await stack.de.snapshot()).jobs.created).toBe(0);
    });

    it('fails a window with the errorMessage of a FAILED job, without retrying it', async () => {
      await control.addFaults([{ route: 'dataExtractionCreate', kind: 'failJob', times: 1 }]);
      const id = await createIncontactExport(t, { start: '2024-05-01', end: '2024-05-02' });
      const final = await waitForIncontactExport(stack, t, id);
      expect(final.status).toBe('failed');
      expect(final.windows[0].error).toBe(
        'upstream export job failed: Data extraction failed: simulated upstream error',
      );
      expect((await stack.de.snapshot()).jobs.created).toBe(1);
    });

    it('polls for a fresh URL when the storage refuses one, and re-creates the job after two', async () => {
      await control.addFaults([
        { route: 'dataExtractionFile', kind: 'status', status: 403, times: 3 },
      ]);
      const id = await createIncontactExport(t, { start: '2024-05-01', end: '2024-05-02' });
      const final = await waitForIncontactExport(stack, t, id);
      const truth = await stack.de.truth({ startDate: '2024-05-01', endDate: '2024-05-02' });
      expect(final.status).toBe('completed');
      expect(final.counts.valid).toBe(truth.valid);
      expect((await stack.de.snapshot()).jobs.created).toBe(2);
      expect((await control.stats()).routes.dataExtractionFile.byStatus).toEqual({
        200: 1,
        403: 3,
      });
    });

    it('re-creates a job that reads EXPIRED before its file was fetched', async () => {
      await stack.de.configure({ retentionMs: 1 });
      const id = await createIncontactExport(t, { start: '2024-05-01', end: '2024-05-02' });
      // The first job expires; once the gateway waits to create the next one, files last again.
      const expired = await waitForIncontactExport(
        stack,
        t,
        id,
        (b) => /expired/.test(b.windows[0].error ?? '') || FINISHED.includes(b.status),
      );
      expect(expired.windows[0].error).toBe(
        'upstream export job failed: the Data Extraction job expired before its file was downloaded',
      );
      await stack.de.configure({ retentionMs: 86_400_000 });
      const final = await waitForIncontactExport(stack, t, id);
      expect(final.status).toBe('completed');
      expect((await stack.de.snapshot()).jobs.created).toBe(2);
    });

    it.each([403, 429])(
      'waits at least 31 s after a throttled create (HTTP %d) and sends it again',
      async (status) => {
        // 429 is retried quickly by the upstream client first; four of them reach the pacing.
        const times = status === 429 ? 4 : 1;
        await control.addFaults([{ route: 'dataExtractionCreate', kind: 'status', status, times }]);
        const id = await createIncontactExport(t, { start: '2024-05-01', end: '2024-05-02' });
        const final = await waitForIncontactExport(stack, t, id);
        expect(final.status).toBe('completed');
        const creates = (await control.requests('dataExtractionCreate')).map((r) =>
          Date.parse(r.at),
        );
        expect(creates).toHaveLength(times + 1);
        expect(creates[times] - creates[times - 1]).toBeGreaterThanOrEqual(31_000);
        expect((await control.stats()).routes.dataExtractionCreate.byStatus).toEqual({
          [status]: times,
          202: 1,
        });
      },
    );

    it('keeps the records the same when the tenant reads endDate inclusively', async () => {
      await stack.de.configure({ endDateReading: 'inclusive' });
      const id = await createIncontactExport(t, { start: '2024-05-01', end: '2024-05-03' });
      const final = await waitForIncontactExport(stack, t, id);
      const inclusive = await stack.de.truth({ startDate: '2024-05-01', endDate: '2024-05-03' });
      await stack.de.configure({ endDateReading: 'exclusive' });
      const exclusive = await stack.de.truth({ startDate: '2024-05-01', endDate: '2024-05-03' });
      expect(inclusive.outsideWindow).toBeGreaterThan(0);
      expect(final.counts.valid).toBe(exclusive.valid);
      expect(final.counts).toEqual({
        received: inclusive.received,
        valid: inclusive.valid,
        duplicates: inclusive.duplicates,
        schemaErrors: inclusive.schemaErrors,
        outsideWindow: inclusive.outsideWindow,
      });
    });

    it('takes numeric job ids (create, poll and list answers) as their decimal strings', async () => {
      await stack.de.configure({ jobIdAs: 'number' });
      const id = await createIncontactExport(t, { start: '2024-05-01', end: '2024-05-02' });
      const final = await waitForIncontactExport(stack, t, id);
      const truth = await stack.de.truth({ startDate: '2024-05-01', endDate: '2024-05-02' });
      expect(final.status).toBe('completed');
      expect(final.counts.valid).toBe(truth.valid);
      expect(final.windows[0].upstreamJobId).toMatch(/^\d+$/);
    });

    it('loses no record when Start Date is zone-less business-unit time (UTC−5), read inclusively', async () => {
      const range = { start: '2024-05-01', end: '2024-05-03' };
      const truthRange = { startDate: '2024-05-01', endDate: '2024-05-03' };
      const utcId = await createIncontactExport(t, range);
      expect((await waitForIncontactExport(stack, t, utcId)).status).toBe('completed');
      const segmentIds = async (id: string) =>
        (JSON.parse(await recordsText(t, id, 'json')) as Record<string, string>[]).map(
          (r) => r['Segment ID'],
        );
      const utcIds = await segmentIds(utcId);

      await stack.de.configure({
        startDateFormat: 'us-local',
        buUtcOffsetMinutes: -300,
        endDateReading: 'inclusive',
      });
      const id = await createIncontactExport(t, range);
      const final = await waitForIncontactExport(stack, t, id);
      const truth = await stack.de.truth(truthRange);
      expect(final.status).toBe('completed');
      expect(final.counts).toEqual(countsOf(truth));
      // Rows of 20:00–23:59 local on a window's eve are the window's own (01:00–04:59Z): kept.
      const records = JSON.parse(await recordsText(t, id, 'json')) as Record<string, string>[];
      expect(
        records.some((r) => /^4\/30\/2024 (8|9|10|11):\d\d:\d\d PM$/.test(r['Start Date'])),
      ).toBe(true);
      const localIds = new Set(records.map((r) => r['Segment ID']));
      expect(utcIds.filter((segment) => !localIds.has(segment))).toEqual([]);
      // The next day's rows no zone could place in the window were skipped and counted.
      expect(truth.outsideWindow).toBeGreaterThan(0);
      expect(final.counts.outsideWindow).toBe(truth.outsideWindow);
    });
  });
});

/** A tenant that counts polls against the 30 s limit too: the gateway learns it and keeps going. */
describe('Exports in the incontact dialect, every call throttled (e2e, Data Extraction)', () => {
  let stack: IncontactStack;
  beforeAll(async () => {
    stack = await startIncontactStack({
      dataExtraction: { rowsPerDay: 200, runningMs: 1500, throttleScope: 'all' },
    });
  });
  afterAll(() => stack?.close());

  it('waits out the 403s and still counts exactly', async () => {
    const t = stack.gateways[0];
    const id = await createIncontactExport(t, { start: '2024-05-01', end: '2024-05-03' });
    const final = await waitForIncontactExport(stack, t, id);
    const truth = await stack.de.truth({ startDate: '2024-05-01', endDate: '2024-05-03' });
    expect(final.status).toBe('completed');
    expect(final.counts).toEqual(countsOf(truth));
    const { throttled, jobs } = await stack.de.snapshot();
    expect(throttled.create + throttled.list + throttled.get).toBeGreaterThan(0);
    expect(jobs).toMatchObject({ created: 2, createsWhileRunning: 0 });
  });
});

describe('Exports in the v2 dialect refuse the incontact fields (e2e)', () => {
  let t: TestGateway;
  beforeAll(async () => (t = await startTestGateway()));
  afterAll(() => t?.close());

  it('answers 400 naming entity and version', async () => {
    const res = await request(t.url)
      .post('/v1/exports')
      .set(t.auth())
      .send({ ...RANGE_3D, entity: 'recording-interaction-metadata', version: '7' })
      .expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['entity', 'version']);
    expect(res.body.errors[0].message).toMatch(/not accepted with CXONE_DIALECT=v2/);
  });
});

const redisUrl = testRedisUrl(12);
const describeRedis = redisUrl ? describe : describe.skip;

describeRedis('Exports in the incontact dialect on two replicas (e2e, Redis)', () => {
  let stack: IncontactStack;
  const dataDir = mkdtempSync(join(tmpdir(), 'cxgw-incontact-replicas-'));
  afterAll(async () => {
    await stack?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps one job at a time and creates at least 30 s apart across replicas', async () => {
    // A token or queued export left in this database by an earlier run belongs to another sandbox.
    const redis = new Redis(redisUrl as string);
    await redis.flushdb();
    await redis.quit();
    stack = await startIncontactStack({
      dataExtraction: { rowsPerDay: 100, runningMs: 800 },
      env: { REDIS_URL: redisUrl, DATA_DIR: dataDir },
      replicas: 2,
    });
    const [a, b] = stack.gateways;
    const ids = await Promise.all([
      createIncontactExport(a, { start: '2024-05-01', end: '2024-05-03' }),
      createIncontactExport(b, { start: '2024-05-05', end: '2024-05-07' }),
    ]);
    const finals = await Promise.all(ids.map((id) => waitForIncontactExport(stack, a, id)));
    expect(finals.map((f) => [f.status, f.windows.map((w) => w.error)])).toEqual([
      ['completed', [undefined, undefined]],
      ['completed', [undefined, undefined]],
    ]);
    const control = new SandboxControlClient(stack.sandbox.url);
    const at = (await control.requests('dataExtractionCreate')).map((r) => Date.parse(r.at)).sort();
    expect(at).toHaveLength(4);
    for (let i = 1; i < at.length; i += 1) expect(at[i] - at[i - 1]).toBeGreaterThanOrEqual(30_000);
    expect((await stack.de.snapshot()).jobs).toMatchObject({
      runningHighWater: 1,
      createsWhileRunning: 0,
    });
  }, 120_000);
});
