import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../common/clock/fake-clock.fake';
import { parseConfig } from '../config/app-config';
import { ExportJobStore } from './export-job.store';
import type { ExportJobState } from './export.types';

const ID = '0d5b8f5e-4a0c-4c1e-9e2b-5d3c1f0a9b77';

function job(patch: Partial<ExportJobState> = {}): ExportJobState {
  return {
    version: 1,
    id: ID,
    owner: 'tester',
    start: '2024-01-01T00:00:00.000Z',
    end: '2024-01-02T00:00:00.000Z',
    status: 'queued',
    windows: [
      {
        index: 0,
        dateFrom: '2024-01-01T00:00:00.000Z',
        dateTo: '2024-01-02T00:00:00.000Z',
        status: 'pending',
        upstreamJobId: null,
        attempts: 0,
        counts: null,
      },
    ],
    webhook: { url: null, state: 'none', attempts: 0 },
    createdAt: '2024-03-01T00:00:00.000Z',
    updatedAt: '2024-03-01T00:00:00.000Z',
    ...patch,
  };
}

describe('ExportJobStore', () => {
  let dataDir: string;
  let clock: FakeClock;
  let sut: ExportJobStore;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cxgw-store-'));
    clock = new FakeClock(Date.parse('2024-03-01T12:00:00Z'));
    sut = new ExportJobStore(parseConfig({ DATA_DIR: dataDir }), clock);
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const jobDir = () => join(dataDir, 'exports', ID);

  it('round-trips a job through DATA_DIR/exports/<id>/job.json', async () => {
    await sut.create(job());
    expect(await sut.get(ID)).toEqual(job());
    expect(JSON.parse(readFileSync(join(jobDir(), 'job.json'), 'utf8')).id).toBe(ID);
  });

  it('updates read-modify-write and stamps updatedAt', async () => {
    await sut.create(job());
    const updated = await sut.update(ID, (j) => void (j.status = 'running'));
    expect(updated?.status).toBe('running');
    expect(updated?.updatedAt).toBe('2024-03-01T12:00:00.000Z');
    expect((await sut.get(ID))?.status).toBe('running');
  });

  it('leaves the file alone when the mutator returns false', async () => {
    await sut.create(job());
    await sut.update(ID, () => false);
    expect((await sut.get(ID))?.updatedAt).toBe('2024-03-01T00:00:00.000Z');
  });

  it('serializes concurrent updates: none is lost', async () => {
    await sut.create(job());
    await Promise.all(
      Array.from({ length: 50 }, () => sut.update(ID, (j) => void (j.windows[0].attempts += 1))),
    );
    expect((await sut.get(ID))?.windows[0].attempts).toBe(50);
  });

  it('writes atomically: no temp files remain and a stray temp file never shadows job.json', async () => {
    await sut.create(job());
    await sut.update(ID, (j) => void (j.status = 'running'));
    expect(readdirSync(jobDir())).toEqual(['job.json']);
    // What a crash between writing the temp file and the rename leaves behind.
    writeFileSync(join(jobDir(), 'job.json.123.abcd.tmp'), '{"torn":');
    expect((await sut.get(ID))?.status).toBe('running');
    expect((await sut.list()).map((j) => j.id)).toEqual([ID]);
  });

  it('returns undefined for unknown or non-UUID ids and never builds paths from them', async () => {
    expect(await sut.get('00000000-0000-4000-8000-000000000000')).toBeUndefined();
    expect(await sut.get('../../etc/passwd')).toBeUndefined();
    expect(() => sut.windowFile('../x', 0)).toThrow(/invalid export id/);
  });

  it('lists every export and skips unreadable ones', async () => {
    await sut.create(job());
    const other = '1d5b8f5e-4a0c-4c1e-9e2b-5d3c1f0a9b77';
    await sut.create(job({ id: other }));
    writeFileSync(join(dataDir, 'exports', other, 'job.json'), 'not json');
    expect((await sut.list()).map((j) => j.id)).toEqual([ID]);
  });
});
