import request from 'supertest';
import { ExportProcessor } from '../../src/export/export.processor';
import { verifyWebhookSignature } from '../../src/webhooks/webhook-signer';
import { startTestGateway, TEST_KEYS, type TestGateway } from '../utils/test-gateway';
import {
  startWebhookReceiver,
  type WebhookReceiver,
} from '../../src/webhooks/webhook-receiver.fake';
import {
  createExport,
  FAST_EXPORT_ENV,
  getExport,
  FAST_SANDBOX,
  fetchRecords,
  parseCsv,
  RANGE_45D,
  waitForExport,
  type ExportBody,
  jsonRecords,
  windowFiles,
} from './export-helpers';

const COLUMNS = [
  'id',
  'type',
  'dateFrom',
  'dateTo',
  'botId',
  'agentId',
  'duration',
  'conversationId',
  'intent',
  'outcome',
];

describe('Exports (e2e)', () => {
  let t: TestGateway;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    t = await startTestGateway({
      sandbox: FAST_SANDBOX,
      env: { ...FAST_EXPORT_ENV, WEBHOOK_ALLOWED_HOSTS: receiver.hostPort },
    });
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  describe('a 45-day export with a webhook', () => {
    let id: string;
    let final: ExportBody;
    let created: request.Response;

    beforeAll(async () => {
      await t.control.resetStats();
      created = await request(t.url)
        .post('/v1/exports')
        .set(t.auth())
        .send({ ...RANGE_45D, webhookUrl: `${receiver.url}/hooks/export` })
        .expect(202);
      id = created.body.id;
      final = await waitForExport(t, id, (b) => b.status === 'completed' && b.webhook.delivered);
    });

    it('answers 202 with the windows, links and a Location header', () => {
      expect(created.headers.location).toBe(`/v1/exports/${id}`);
      expect(created.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        status: 'queued',
        windows: [
          { dateFrom: '2024-01-01T00:00:00.000Z', dateTo: '2024-01-31T00:00:00.000Z' },
          { dateFrom: '2024-01-31T00:00:00.000Z', dateTo: '2024-02-15T00:00:00.000Z' },
        ],
        links: { self: `/v1/exports/${id}`, records: `/v1/exports/${id}/records` },
      });
    });

    it('made one upstream job per window with the v2 §exports payload', async () => {
      const creates = await t.control.requests('exportCreate');
      const bodies = creates.map((r) => r.body);
      expect(bodies).toEqual([
        {
          query: {
            dateFrom: '2024-01-01T00:00:00.000Z',
            dateTo: '2024-01-31T00:00:00.000Z',
            filter: "type eq 'bot'",
          },
          exportType: 'conversation',
          format: 'json',
          compression: 'gzip',
          includeHeaders: true,
        },
        {
          query: {
            dateFrom: '2024-01-31T00:00:00.000Z',
            dateTo: '2024-02-15T00:00:00.000Z',
            filter: "type eq 'bot'",
          },
          exportType: 'conversation',
          format: 'json',
          compression: 'gzip',
          includeHeaders: true,
        },
      ]);
      expect(final.windows.map((w) => w.upstreamJobId)).toEqual(
        expect.arrayContaining([expect.any(String), expect.any(String)]),
      );
    });

    it('counts exactly what the sandbox generated', async () => {
      const truth = await t.control.exportTruth(RANGE_45D.start, RANGE_45D.end);
      expect(truth.crossWindowDuplicates).toBeGreaterThan(0);
      expect(final.counts).toEqual({
        received: truth.received,
        valid: truth.uniqueValidIds,
        duplicates: truth.duplicates,
        schemaErrors: truth.schemaInvalid,
      });
      expect(final.progress).toEqual({ windowsTotal: 2, windowsDone: 2, percent: 100 });
      expect(final.windows.every((w) => w.status === 'completed')).toBe(true);
    });

    it('serves the same unique, valid records as JSON, NDJSON and CSV', async () => {
      const json = await fetchRecords(t, id, 'json').expect(200);
      expect(json.headers['content-type']).toMatch(/application\/json/);
      const records = jsonRecords(json);
      expect(records).toHaveLength(final.counts.valid);
      expect(new Set(records.map((r) => r.id)).size).toBe(records.length);

      const ndjson = await fetchRecords(t, id, 'ndjson').expect(200);
      expect(ndjson.headers['content-type']).toMatch(/application\/x-ndjson/);
      const lines = (ndjson.body as string)
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(lines).toEqual(records);

      const csv = await fetchRecords(t, id, 'csv').expect(200);
      expect(csv.headers['content-type']).toMatch(/text\/csv/);
      const [header, ...rows] = parseCsv(csv.body as string);
      expect(header).toEqual(COLUMNS);
      expect(rows).toEqual(records.map((r) => COLUMNS.map((c) => String(r[c] ?? ''))));
    });

    it('delivered one signed webhook that verifies', async () => {
      const [hook] = await receiver.waitFor(1);
      expect(receiver.requests).toHaveLength(1);
      expect(hook.path).toBe('/hooks/export');
      expect(hook.headers['x-webhook-id']).toBe(`${id}:export.completed`);
      const ok = verifyWebhookSignature({
        secret: 'test-webhook-signing-secret',
        body: hook.body,
        header: hook.headers['x-signature'] as string,
        nowS: Date.now() / 1000,
      });
      expect(ok).toBe(true);
      const body = JSON.parse(hook.body);
      expect(body).toMatchObject({
        event: 'export.completed',
        id,
        status: 'completed',
        counts: final.counts,
        recordCount: final.counts.valid,
        links: { self: `/v1/exports/${id}`, records: `/v1/exports/${id}/records` },
      });
      expect(body.sample).toHaveLength(5);
      expect(final.webhook).toEqual({
        url: `${receiver.url}/hooks/export`,
        attempts: 1,
        delivered: true,
      });
    });

    it('hides the export from another API key (404) and from keys without the scope (403)', async () => {
      await request(t.url).get(`/v1/exports/${id}`).set(t.auth(TEST_KEYS.other)).expect(404);
      await request(t.url)
        .get(`/v1/exports/${id}/records`)
        .set(t.auth(TEST_KEYS.other))
        .expect(404);
      await request(t.url).delete(`/v1/exports/${id}`).set(t.auth(TEST_KEYS.other)).expect(404);
      await request(t.url).get(`/v1/exports/${id}`).set(t.auth(TEST_KEYS.reporting)).expect(403);
      await request(t.url).get(`/v1/exports/${id}`).expect(401);
    });

    it('DELETE of the finished export removes its files; records then answer 410', async () => {
      expect(windowFiles(t.dataDir, id)).toHaveLength(2);
      // 72 h (the default) after it finished, which lies between its creation and its last change.
      const finishedAt = Date.parse(final.expiresAt ?? '') - 72 * 3_600_000;
      expect(finishedAt).toBeGreaterThanOrEqual(Date.parse(final.createdAt));
      expect(finishedAt).toBeLessThanOrEqual(Date.parse(final.updatedAt));
      const res = await request(t.url).delete(`/v1/exports/${id}`).set(t.auth()).expect(200);
      expect(res.body).toMatchObject({
        status: 'completed',
        expiresAt: null,
        expiredAt: expect.any(String),
        expiredReason: 'deleted',
        counts: final.counts,
      });
      expect(windowFiles(t.dataDir, id)).toEqual([]);
      const gone = await request(t.url).get(`/v1/exports/${id}/records`).set(t.auth()).expect(410);
      expect(gone.headers['content-type']).toMatch(/problem\+json/);
      expect(gone.body).toMatchObject({ title: 'Gone', reason: 'deleted' });
      expect(gone.body.detail).toMatch(/deleted/);
      // Again: nothing changes.
      const again = await request(t.url).delete(`/v1/exports/${id}`).set(t.auth()).expect(200);
      expect(again.body.expiredAt).toBe(res.body.expiredAt);
    });
  });

  describe('input validation', () => {
    it.each([
      ['missing fields', {}, ['start', 'end']],
      ['non-ISO dates', { start: 'yesterday', end: '2024-01-02' }, ['start']],
      ['end before start', { start: '2024-01-02T00:00:00Z', end: '2024-01-01T00:00:00Z' }, ['end']],
      [
        'end equal to start',
        { start: '2024-01-02T00:00:00Z', end: '2024-01-02T00:00:00Z' },
        ['end'],
      ],
      [
        'a span over the limit',
        { start: '2020-01-01T00:00:00Z', end: '2024-01-01T00:00:00Z' },
        ['end'],
      ],
      [
        'an end in the future (the export would be final without what has not happened yet)',
        {
          start: new Date(Date.now() - 86_400_000).toISOString(),
          end: new Date(Date.now() + 3_600_000).toISOString(),
        },
        ['end'],
      ],
      ['an unknown field', { ...RANGE_45D, extra: 1 }, ['extra']],
      [
        'a webhook host not allowed',
        { ...RANGE_45D, webhookUrl: 'https://evil.example.com/x' },
        ['webhookUrl'],
      ],
      [
        'a webhook URL that is not a URL',
        { ...RANGE_45D, webhookUrl: 'not a url' },
        ['webhookUrl'],
      ],
      ['wrong types', { start: 1, end: true }, ['start', 'end']],
    ])('rejects %s with 400 naming the fields', async (_name, body, fields) => {
      const res = await request(t.url).post('/v1/exports').set(t.auth()).send(body).expect(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      const named = (res.body.errors as { field: string }[]).map((e) => e.field);
      for (const f of fields) expect(named).toContain(f);
    });

    it('rejects a junk id with 400 and an unknown UUID with 404', async () => {
      await request(t.url).get('/v1/exports/not-a-uuid').set(t.auth()).expect(400);
      await request(t.url).get('/v1/exports/..%2F..%2Fetc').set(t.auth()).expect(400);
      await request(t.url)
        .get('/v1/exports/00000000-0000-4000-8000-000000000000')
        .set(t.auth())
        .expect(404);
    });

    it('rejects an unknown records format with 400', async () => {
      const id = await createExport(t, {
        start: '2024-01-01T00:00:00Z',
        end: '2024-01-02T00:00:00Z',
      });
      await request(t.url).get(`/v1/exports/${id}/records?format=xml`).set(t.auth()).expect(400);
      await waitForExport(t, id);
    });

    it('requires export:write to create', async () => {
      await request(t.url)
        .post('/v1/exports')
        .set(t.auth(TEST_KEYS.reporting))
        .send(RANGE_45D)
        .expect(403);
    });
  });

  describe('lifecycle', () => {
    it('answers 409 NOT_READY for records until the export has completed', async () => {
      const id = await createExport(t, {
        start: '2024-03-01T00:00:00Z',
        end: '2024-03-05T00:00:00Z',
      });
      const early = await request(t.url).get(`/v1/exports/${id}/records`).set(t.auth()).expect(409);
      expect(early.body.title).toBe('Not ready');
      await waitForExport(t, id, (b) => b.status === 'completed');
      await request(t.url).get(`/v1/exports/${id}/records`).set(t.auth()).expect(200);
    });

    it('cancels a running export: polling stops and no records are served', async () => {
      await t.control.addFaults([{ route: 'exportGet', kind: 'latency', latencyMs: 100 }]);
      const id = await createExport(t, {
        start: '2024-04-01T00:00:00Z',
        end: '2024-06-01T00:00:00Z',
      });
      await waitForExport(t, id, (b) => b.status === 'running');
      const res = await request(t.url).delete(`/v1/exports/${id}`).set(t.auth()).expect(200);
      expect(res.body.status).toBe('cancelled');
      await t.control.clearFaults();
      const before = (await t.control.stats()).routes.exportGet.calls;
      // Event wait: the export's processing has ended, so no poll can follow anymore.
      const processor = t.gateway.app.get(ExportProcessor);
      while (processor.activeCount > 0) await new Promise((r) => setImmediate(r));
      const after = (await t.control.stats()).routes.exportGet.calls;
      expect(after - before).toBeLessThanOrEqual(1);
      expect((await waitForExport(t, id)).status).toBe('cancelled');
      await request(t.url).get(`/v1/exports/${id}/records`).set(t.auth()).expect(409);
      // The worker has stopped (above): the windows it wrote are gone, and the status says so.
      expect(windowFiles(t.dataDir, id)).toEqual([]);
      expect((await getExport(t, id)).expiredReason).toBe('cancelled');
      await request(t.url).delete(`/v1/exports/${id}`).set(t.auth()).expect(200);
    });
  });
});
