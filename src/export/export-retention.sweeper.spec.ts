import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../common/clock/fake-clock.fake';
import { parseConfig } from '../config/app-config';
import { ExportJobStore } from './export-job.store';
import { ExportRetentionSweeper } from './export-retention.sweeper';
import type { ExportJobState, ExportStatus } from './export.types';

const HOUR = 3_600_000;
const INTERVAL_S = 60;
const T0 = Date.parse('2024-03-01T12:00:00Z');

function exportJob(id: string, status: ExportStatus, finishedAt?: number): ExportJobState {
  return {
    version: 1,
    id,
    owner: 'tester',
    start: '2024-01-01T00:00:00.000Z',
    end: '2024-01-03T00:00:00.000Z',
    status,
    windows: [0, 1].map((index) => ({
      index,
      dateFrom: `2024-01-0${index + 1}T00:00:00.000Z`,
      dateTo: `2024-01-0${index + 2}T00:00:00.000Z`,
      status: status === 'completed' ? 'completed' : 'pending',
      upstreamJobId: null,
      attempts: 0,
      counts: null,
    })),
    webhook: { url: null, state: 'none', attempts: 0 },
    createdAt: new Date(T0 - 2 * HOUR).toISOString(),
    updatedAt: new Date(finishedAt ?? T0).toISOString(),
    ...(finishedAt !== undefined ? { finishedAt: new Date(finishedAt).toISOString() } : {}),
  };
}

const IDS = {
  done: '0d5b8f5e-4a0c-4c1e-9e2b-5d3c1f0a9b71',
  cancelled: '0d5b8f5e-4a0c-4c1e-9e2b-5d3c1f0a9b72',
  running: '0d5b8f5e-4a0c-4c1e-9e2b-5d3c1f0a9b73',
};

describe('ExportRetentionSweeper', () => {
  let dataDir: string;
  let clock: FakeClock;
  let store: ExportJobStore;
  let sut: ExportRetentionSweeper;

  const files = (id: string): string[] =>
    existsSync(join(dataDir, 'exports', id))
      ? readdirSync(join(dataDir, 'exports', id)).filter((n) => n.startsWith('window-'))
      : [];

  async function writeWindow(id: string, index: number, commit = true): Promise<void> {
    const sink = await store.openResultWriter(id, index);
    await new Promise<void>((resolve, reject) =>
      sink.end('x', () => resolve()).on('error', reject),
    );
    if (commit) await store.commitResult(id, index);
  }

  /**
   * Jumps to `at` (at least one interval after the previous sweep, so the next round is due),
   * lets the sweeper's timer fire and waits for that sweep.
   */
  async function sweepAt(at: number): Promise<void> {
    expect(clock.pending()).toBe(1);
    clock.set(at);
    await clock.advance(0);
    await sut.idle();
  }

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cxgw-sweep-'));
    clock = new FakeClock(T0);
    const config = parseConfig({
      DATA_DIR: dataDir,
      EXPORT_RETENTION_HOURS: '2',
      EXPORT_SWEEP_INTERVAL_S: String(INTERVAL_S),
    });
    store = new ExportJobStore(config, clock);
    sut = new ExportRetentionSweeper(config, clock, store);
    await store.create(exportJob(IDS.done, 'completed', T0 - HOUR));
    await store.create(exportJob(IDS.cancelled, 'cancelled', T0 - HOUR));
    await store.create(exportJob(IDS.running, 'running'));
    await writeWindow(IDS.done, 0);
    await writeWindow(IDS.done, 1);
    await writeWindow(IDS.cancelled, 0);
    await writeWindow(IDS.cancelled, 1, false);
    await writeWindow(IDS.running, 0);
    sut.onApplicationBootstrap();
  });
  afterEach(async () => {
    await sut.beforeApplicationShutdown();
    await store.onApplicationShutdown();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps results within EXPORT_RETENTION_HOURS and removes cancelled partial windows', async () => {
    await sweepAt(T0 + HOUR - 1);
    expect(files(IDS.done)).toEqual(['window-0.ndjson.gz', 'window-1.ndjson.gz']);
    expect((await store.get(IDS.done))?.resultsRemoved).toBeUndefined();
    expect(files(IDS.cancelled)).toEqual([]);
    expect((await store.get(IDS.cancelled))?.resultsRemoved).toEqual({
      at: new Date(T0 + HOUR - 1).toISOString(),
      reason: 'cancelled',
    });
    expect(files(IDS.running)).toEqual(['window-0.ndjson.gz']);
  });

  it('removes expired results, says so in the state, and forgets the export later', async () => {
    await sweepAt(T0 + HOUR);
    expect(files(IDS.done)).toEqual([]);
    const expired = await store.get(IDS.done);
    expect(expired?.status).toBe('completed');
    expect(expired?.resultsRemoved).toEqual({
      at: new Date(T0 + HOUR).toISOString(),
      reason: 'expired',
    });
    // A running export is never touched, whatever its age.
    expect(files(IDS.running)).toEqual(['window-0.ndjson.gz']);

    await sweepAt(T0 + 3 * HOUR - 2 * INTERVAL_S * 1000);
    expect(await store.get(IDS.done)).toBeDefined();
    await sweepAt(T0 + 3 * HOUR);
    expect(await store.get(IDS.done)).toBeUndefined();
    expect(existsSync(join(dataDir, 'exports', IDS.done))).toBe(false);
    expect(await store.get(IDS.running)).toBeDefined();
  });

  it('stops sweeping on shutdown', async () => {
    await sut.beforeApplicationShutdown();
    expect(clock.pending()).toBe(0);
  });
});
