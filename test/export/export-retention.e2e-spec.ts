import request from 'supertest';
import { startTestGateway, type TestGateway } from '../utils/test-gateway';
import {
  createExport,
  eventually,
  FAST_EXPORT_ENV,
  FAST_SANDBOX,
  getExport,
  waitForExport,
  windowFiles,
} from './export-helpers';
import { WarpClock } from './warp-clock';

const HOUR = 3_600_000;

/**
 * Results are kept EXPORT_RETENTION_HOURS after an export finished: once the gateway's clock
 * has passed that, the sweeper (every EXPORT_SWEEP_INTERVAL_S) removes the files, the status
 * says when and why, and the records answer 410 Gone.
 */
describe('Export results retention (e2e)', () => {
  const clock = new WarpClock();
  let t: TestGateway;

  beforeAll(async () => {
    t = await startTestGateway({
      clock,
      sandbox: FAST_SANDBOX,
      env: { ...FAST_EXPORT_ENV, EXPORT_RETENTION_HOURS: '2', EXPORT_SWEEP_INTERVAL_S: '1' },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('removes an expired export’s files, marks its status and answers 410 for its records', async () => {
    const id = await createExport(t, {
      start: '2024-01-01T00:00:00Z',
      end: '2024-01-02T00:00:00Z',
    });
    const done = await waitForExport(t, id, (b) => b.status === 'completed');
    expect(done.expiresAt).not.toBeNull();
    expect(windowFiles(t.dataDir, id)).toHaveLength(1);
    await request(t.url).get(`/v1/exports/${id}/records`).set(t.auth()).expect(200);

    clock.jump(2 * HOUR + 1000);
    await eventually(async () => (await getExport(t, id)).expiredAt !== null, 'the sweep');
    const expired = await getExport(t, id);
    expect(expired).toMatchObject({
      status: 'completed',
      expiresAt: null,
      expiredReason: 'expired',
      counts: done.counts,
    });
    expect(Date.parse(expired.expiredAt ?? '')).toBeGreaterThanOrEqual(
      Date.parse(done.expiresAt ?? ''),
    );
    expect(windowFiles(t.dataDir, id)).toEqual([]);
    const gone = await request(t.url).get(`/v1/exports/${id}/records`).set(t.auth()).expect(410);
    expect(gone.headers['content-type']).toMatch(/problem\+json/);
    expect(gone.body).toMatchObject({ title: 'Gone', reason: 'expired', status: 410 });
    expect(gone.body.detail).toContain('EXPORT_RETENTION_HOURS');
  });
});
