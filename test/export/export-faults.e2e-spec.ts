import request from 'supertest';
import { startTestGateway, type TestGateway } from '../utils/test-gateway';
import { startWebhookReceiver } from '../../src/webhooks/webhook-receiver.fake';
import {
  createExport,
  FAST_EXPORT_ENV,
  FAST_SANDBOX,
  fetchRecords,
  RANGE_45D,
  waitForExport,
  jsonRecords,
} from './export-helpers';

/** Each scenario gets a fresh sandbox + gateway so call counts and fault budgets are its own. */
// Each test runs a multi-window export through failed attempts and retries: 1–8 s here, more
// when the two cores are shared with other suites.
jest.setTimeout(20_000);

describe('Exports under upstream faults (e2e)', () => {
  let t: TestGateway;

  async function start(env: Record<string, string> = {}, sandbox: object = {}) {
    t = await startTestGateway({
      sandbox: { ...FAST_SANDBOX, ...sandbox },
      env: { ...FAST_EXPORT_ENV, EXPORT_WINDOW_ATTEMPTS: '3', ...env },
    });
  }
  afterEach(async () => {
    await t?.close();
  });

  async function truthCounts(range = RANGE_45D) {
    const truth = await t.control.exportTruth(range.start, range.end);
    return {
      received: truth.received,
      valid: truth.uniqueValidIds,
      duplicates: truth.duplicates,
      schemaErrors: truth.schemaInvalid,
    };
  }

  it.each(['truncatedGzip', 'malformedJson'] as const)(
    'a %s download fails one attempt; the retry re-downloads the same job and counts stay exact',
    async (kind) => {
      await start();
      await t.control.addFaults([{ route: 'exportDownload', kind, times: 1 }]);
      const id = await createExport(t);
      const final = await waitForExport(t, id);
      expect(final.status).toBe('completed');
      expect(final.counts).toEqual(await truthCounts());
      const stats = await t.control.stats();
      expect(stats.routes.exportCreate.calls).toBe(2); // one per window, none for the retry
      expect(stats.routes.exportDownload.calls).toBe(3);
      const records = jsonRecords(await fetchRecords(t, id, 'json').expect(200));
      expect(records).toHaveLength(final.counts.valid);
      expect(new Set(records.map((r) => r.id)).size).toBe(records.length);
    },
  );

  it('plain (uncompressed) and Content-Encoding gzip downloads give the same counts', async () => {
    for (const exportGzipMode of ['none', 'content-encoding'] as const) {
      if (exportGzipMode !== 'none') await t.close();
      await start({}, { exportGzipMode });
      const id = await createExport(t);
      const final = await waitForExport(t, id);
      expect(final.counts).toEqual(await truthCounts());
    }
  });

  it('a window whose every attempt fails is reported, its records absent, the rest served (partial)', async () => {
    await start();
    // The first window's three downloads all break; the second window downloads fine.
    await t.control.addFaults([{ route: 'exportDownload', kind: 'malformedJson', times: 3 }]);
    const id = await createExport(t);
    const final = await waitForExport(t, id);
    expect(final.status).toBe('partial');
    expect(final.windows[0]).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/malformed JSON/),
    });
    expect(final.windows[1].status).toBe('completed');
    const second = { start: final.windows[1].dateFrom, end: final.windows[1].dateTo };
    const truthSecond = await truthCounts(second);
    expect(final.counts).toEqual(truthSecond);
    const res = await fetchRecords(t, id, 'json').expect(200);
    expect(res.headers['x-export-missing-windows']).toBe(
      `${final.windows[0].dateFrom}/${final.windows[0].dateTo}`,
    );
    const records = jsonRecords(res);
    expect(records).toHaveLength(truthSecond.valid);
    // Nothing from the failed window: every record overlaps the second window.
    const from = Date.parse(final.windows[1].dateFrom);
    expect(records.every((r) => Date.parse(String(r.dateTo)) > from)).toBe(true);
  });

  it('fails the export when every window fails, notes each error and sends export.failed', async () => {
    const receiver = await startWebhookReceiver();
    await start({ EXPORT_WINDOW_ATTEMPTS: '2', WEBHOOK_ALLOWED_HOSTS: receiver.hostPort });
    await t.control.addFaults([{ route: 'exportDownload', kind: 'truncatedGzip', times: 10 }]);
    const id = await createExport(t, { ...RANGE_45D, webhookUrl: `${receiver.url}/h` });
    const final = await waitForExport(t, id, (b) => b.status === 'failed' && b.webhook.delivered);
    const [hook] = await receiver.waitFor(1);
    await receiver.close();
    expect(hook.headers['x-webhook-id']).toBe(`${id}:export.failed`);
    expect(JSON.parse(hook.body)).toMatchObject({
      event: 'export.failed',
      status: 'failed',
      recordCount: 0,
      sample: [],
    });
    expect(final.status).toBe('failed');
    expect(final.counts).toEqual({ received: 0, valid: 0, duplicates: 0, schemaErrors: 0 });
    expect(final.windows.every((w) => w.status === 'failed' && /gzip/.test(w.error ?? ''))).toBe(
      true,
    );
    expect((await t.control.stats()).routes.exportDownload.calls).toBe(4);
    await request(t.url).get(`/v1/exports/${id}/records`).set(t.auth()).expect(409);
  });

  it('replaces an upstream job that failed with a new one', async () => {
    await start();
    await t.control.addFaults([{ route: 'exportCreate', kind: 'failJob', times: 1 }]);
    const id = await createExport(t);
    const final = await waitForExport(t, id);
    expect(final.status).toBe('completed');
    expect(final.counts).toEqual(await truthCounts());
    expect((await t.control.stats()).routes.exportCreate.calls).toBe(3);
  });

  it('fails a window whose download inflates beyond EXPORT_MAX_DECOMPRESSED_BYTES', async () => {
    await start({ EXPORT_WINDOW_ATTEMPTS: '1', EXPORT_MAX_DECOMPRESSED_BYTES: '100000' });
    const id = await createExport(t, {
      start: '2024-01-01T00:00:00Z',
      end: '2024-01-10T00:00:00Z',
    });
    const final = await waitForExport(t, id);
    expect(final.status).toBe('failed');
    expect(final.windows[0].error).toMatch(/EXPORT_MAX_DECOMPRESSED_BYTES/);
  });

  it('five exports at once never exceed 3 active upstream jobs, and all complete exactly', async () => {
    await start();
    await t.control.resetStats();
    const ids = await Promise.all(Array.from({ length: 5 }, () => createExport(t)));
    const finals = await Promise.all(ids.map((id) => waitForExport(t, id, undefined, 60_000)));
    const expected = await truthCounts();
    for (const f of finals) {
      expect(f.status).toBe('completed');
      expect(f.counts).toEqual(expected);
    }
    const stats = await t.control.stats();
    expect(stats.activeExportsMax).toBeLessThanOrEqual(3);
    expect(stats.activeExportsMax).toBeGreaterThanOrEqual(2);
    expect(stats.routes.exportCreate.calls).toBe(10);
  }, 90_000);

  it('treats an upstream 409 on create as "wait and retry"', async () => {
    await start();
    await t.control.addFaults([{ route: 'exportCreate', kind: 'status', status: 409, times: 2 }]);
    const id = await createExport(t);
    const final = await waitForExport(t, id);
    expect(final.status).toBe('completed');
    expect(final.counts).toEqual(await truthCounts());
    expect((await t.control.stats()).routes.exportCreate.byStatus['409']).toBe(2);
  });
});
