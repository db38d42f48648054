import Redis from 'ioredis';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Clock, SystemClock } from '../common/clock/clock';
import { FakeClock } from '../common/clock/fake-clock.fake';
import { testRedisUrl } from '../common/redis/test-redis-url.fake';
import { parseConfig } from '../config/app-config';
import { ExportJobStore } from './export-job.store';
import type { CasOutcome, JobStateBackend } from './export-job-state';
import type { ExportJobState } from './export.types';
import { FileJobState } from './file-job-state';
import { RedisJobState } from './redis-job-state';

const ID = '0d5b8f5e-4a0c-4c1e-9e2b-5d3c1f0a9b77';
const OTHER = '1d5b8f5e-4a0c-4c1e-9e2b-5d3c1f0a9b77';
/** The suite's Redis (its keys are scoped by each test's data dir); undefined without one. */
const REDIS_URL = testRedisUrl(0);

function exportJob(patch: Partial<ExportJobState> = {}): ExportJobState {
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

interface Mode {
  name: string;
  redisUrl: string | undefined;
  /** Where the backend's methods live, to put a race right before its next write. */
  proto: JobStateBackend;
  backend(root: string): JobStateBackend;
}
const MODES: Mode[] = [
  {
    name: 'memory mode (files)',
    redisUrl: undefined,
    proto: FileJobState.prototype,
    backend: (root) => new FileJobState(root),
  },
  {
    name: 'Redis mode',
    redisUrl: REDIS_URL,
    proto: RedisJobState.prototype,
    backend: (root) => new RedisJobState(REDIS_URL ?? '', root, new SystemClock()),
  },
];

describe.each(MODES)('ExportJobStore, $name', ({ name, redisUrl, proto, backend }) => {
  const maybe = name === 'Redis mode' && !redisUrl ? it.skip : it;
  let dataDir: string;
  let clock: FakeClock;
  let stores: ExportJobStore[];
  let sut: ExportJobStore;

  /** A store as one replica builds it; several on one DATA_DIR (and Redis) share the state. */
  function replica(dir = dataDir, time: Clock = clock): ExportJobStore {
    const store = new ExportJobStore(
      parseConfig({ DATA_DIR: dir, ...(redisUrl ? { REDIS_URL: redisUrl } : {}) }),
      time,
    );
    stores.push(store);
    return store;
  }

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cxgw-store-'));
    clock = new FakeClock(Date.parse('2024-03-01T12:00:00Z'));
    stores = [];
    sut = replica();
  });
  afterEach(async () => {
    if (redisUrl) await dropKeys(redisUrl, dataDir);
    for (const s of stores) await s.onApplicationShutdown();
    rmSync(dataDir, { recursive: true, force: true });
  });

  maybe('round-trips a job', async () => {
    await sut.create(exportJob());
    expect(await sut.get(ID)).toEqual(exportJob());
    expect(await replica().get(ID)).toEqual(exportJob());
  });

  maybe("holds an owner's cap when replicas create at the same time", async () => {
    // Real time: replicas waiting for the owner's lock retry on the clock.
    const stores = [1, 2, 3, 4].map(() => replica(dataDir, new SystemClock()));
    const ids = ['0', '1', '2', '3', '4', '5'].map((d) => `${d}${ID.slice(1)}`);
    const outcomes = await Promise.all(
      stores.map((store, i) => store.createWithinCap(exportJob({ id: ids[i] }), 2)),
    );
    expect(outcomes.filter((o) => o.created)).toHaveLength(2);
    expect(outcomes.filter((o) => !o.created)).toEqual([
      { created: false, active: 2 },
      { created: false, active: 2 },
    ]);
    // Another owner's exports, and finished ones, do not count.
    const other = await sut.createWithinCap(exportJob({ id: ids[4], owner: 'x' }), 1);
    expect(other.created).toBe(true);
    await sut.update(ids[outcomes.findIndex((o) => o.created)], (j) => void (j.status = 'failed'));
    expect(await sut.createWithinCap(exportJob({ id: ids[5] }), 2)).toEqual({
      created: true,
      active: 2,
    });
  });

  maybe('updates and stamps updatedAt from the clock', async () => {
    await sut.create(exportJob());
    const updated = await sut.update(ID, (j) => void (j.status = 'running'));
    expect(updated?.status).toBe('running');
    expect(updated?.updatedAt).toBe('2024-03-01T12:00:00.000Z');
    expect((await replica().get(ID))?.status).toBe('running');
  });

  maybe('leaves the state alone when the mutator returns false', async () => {
    await sut.create(exportJob());
    const casCalls = jest.spyOn(proto, 'compareAndSet');
    expect(await sut.update(ID, () => false)).toEqual(exportJob());
    expect(casCalls).not.toHaveBeenCalled();
    expect((await sut.get(ID))?.updatedAt).toBe('2024-03-01T00:00:00.000Z');
    casCalls.mockRestore();
  });

  maybe('loses no update when many run at once in one process', async () => {
    await sut.create(exportJob());
    await Promise.all(
      Array.from({ length: 50 }, () => sut.update(ID, (j) => void (j.windows[0].attempts += 1))),
    );
    expect((await sut.get(ID))?.windows[0].attempts).toBe(50);
  });

  maybe('loses no update when two replicas write at once', async () => {
    // Real time here: a writer that keeps losing backs off for a few random milliseconds.
    const [a, b] = [replica(dataDir, new SystemClock()), replica(dataDir, new SystemClock())];
    await a.create(exportJob());
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 ? a : b).update(ID, (j) => void (j.windows[0].attempts += 1)),
      ),
    );
    expect((await sut.get(ID))?.windows[0].attempts).toBe(40);
  });

  /** Makes the next compare-and-set wait until `race` (another replica's write) is done. */
  function raceBeforeNextWrite(race: () => Promise<unknown>): jest.SpyInstance {
    const original = proto.compareAndSet;
    return jest.spyOn(proto, 'compareAndSet').mockImplementationOnce(async function (
      this: JobStateBackend,
      ...args
    ): Promise<CasOutcome> {
      await race();
      return original.apply(this, args);
    });
  }

  maybe('a worker write that lost the race to a cancel yields to it', async () => {
    const api = replica();
    await sut.create(exportJob({ status: 'running' }));
    const seen: string[] = [];
    const spy = raceBeforeNextWrite(() => api.update(ID, (j) => void (j.status = 'cancelled')));
    // The worker's rule: never write over a cancel.
    const result = await sut.update(ID, (j) => {
      seen.push(j.status);
      if (j.status === 'cancelled') return false;
      j.windows[0].upstreamJobId = 'job-1';
    });
    spy.mockRestore();
    expect(seen).toEqual(['running', 'cancelled']);
    expect(result?.status).toBe('cancelled');
    const stored = await replica().get(ID);
    expect(stored?.status).toBe('cancelled');
    expect(stored?.windows[0].upstreamJobId).toBeNull();
  });

  maybe('an update that lost the race is re-applied on top of the winner', async () => {
    const api = replica();
    await sut.create(exportJob({ status: 'running' }));
    const spy = raceBeforeNextWrite(() => api.update(ID, (j) => void (j.status = 'cancelled')));
    const result = await sut.update(ID, (j) => void (j.windows[0].attempts += 1));
    spy.mockRestore();
    expect(result?.status).toBe('cancelled');
    expect(result?.windows[0].attempts).toBe(1);
    expect(await replica().get(ID)).toMatchObject({
      status: 'cancelled',
      windows: [{ attempts: 1 }],
    });
  });

  maybe('refuses a write naming a revision that has moved on', async () => {
    const state = backend(join(dataDir, 'exports'));
    try {
      await sut.create(exportJob());
      expect((await state.read(ID))?.revision).toBe(1);
      expect(await state.compareAndSet(ID, 1, exportJob({ status: 'running' }))).toBe('written');
      expect(await state.compareAndSet(ID, 1, exportJob({ status: 'failed' }))).toBe('conflict');
      expect(await state.compareAndSet(OTHER, 0, exportJob({ id: OTHER }))).toBe('missing');
      expect(await state.read(ID)).toMatchObject({ revision: 2, job: { status: 'running' } });
    } finally {
      await state.close();
    }
  });

  maybe(
    'returns undefined for unknown or non-UUID ids and never builds paths from them',
    async () => {
      expect(await sut.get('00000000-0000-4000-8000-000000000000')).toBeUndefined();
      expect(await sut.get('../../etc/passwd')).toBeUndefined();
      expect(await sut.update(OTHER, () => undefined)).toBeUndefined();
      expect(() => sut.openResultReader('../x', 0)).toThrow(/invalid export id/);
    },
  );

  maybe('lists every export and skips unreadable ones', async () => {
    await sut.create(exportJob());
    await sut.create(exportJob({ id: OTHER }));
    await corrupt(OTHER);
    expect((await replica().list()).map((j) => j.id)).toEqual([ID]);
  });

  async function corrupt(id: string): Promise<void> {
    if (!redisUrl) return writeFileSync(join(dataDir, 'exports', id, 'job.json'), 'not json');
    const client = new Redis(redisUrl);
    await client.hset(`cxgw:export:${storeId(dataDir)}:job:${id}`, 'state', 'not json');
    client.disconnect();
  }

  maybe('commits a window result atomically and removes it on request', async () => {
    await sut.create(exportJob());
    const sink = await sut.openResultWriter(ID, 0);
    await new Promise<void>((resolve, reject) => {
      sink.on('error', reject);
      sink.end('gzip bytes', () => resolve());
    });
    // Not yet committed: nothing to read.
    await expect(readAll(sut, 0)).rejects.toMatchObject({ code: 'ENOENT' });
    await sut.commitResult(ID, 0);
    expect(await readAll(replica(), 0)).toBe('gzip bytes');
    await sut.removeResult(ID, 0);
    await expect(readAll(sut, 0)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

async function readAll(store: ExportJobStore, index: number): Promise<string> {
  let text = '';
  for await (const chunk of store.openResultReader(ID, index)) text += String(chunk);
  return text;
}

function storeId(dataDir: string): string {
  return readFileSync(join(dataDir, 'exports', '.store-id'), 'utf8').trim();
}

async function dropKeys(url: string, dataDir: string): Promise<void> {
  let ns: string;
  try {
    ns = storeId(dataDir);
  } catch {
    return;
  }
  const client = new Redis(url);
  const keys = await client.keys(`cxgw:export:${ns}:*`);
  if (keys.length > 0) await client.del(...keys);
  client.disconnect();
}

describe('ExportJobStore, memory mode files', () => {
  let dataDir: string;
  let sut: ExportJobStore;
  const jobDir = () => join(dataDir, 'exports', ID);

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cxgw-store-'));
    sut = new ExportJobStore(parseConfig({ DATA_DIR: dataDir }), new FakeClock());
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps the state in DATA_DIR/exports/<id>/job.json with its revision', async () => {
    await sut.create(exportJob());
    await sut.update(ID, (j) => void (j.status = 'running'));
    const doc = JSON.parse(readFileSync(join(jobDir(), 'job.json'), 'utf8'));
    expect(doc).toMatchObject({ id: ID, status: 'running', revision: 2 });
  });

  it('writes atomically: no temp files remain and a stray temp file never shadows job.json', async () => {
    await sut.create(exportJob());
    await sut.update(ID, (j) => void (j.status = 'running'));
    expect(readdirSync(jobDir())).toEqual(['job.json']);
    // What a crash between writing the temp file and the rename leaves behind.
    writeFileSync(join(jobDir(), 'job.json.123.abcd.tmp'), '{"torn":');
    expect((await sut.get(ID))?.status).toBe('running');
    expect((await sut.list()).map((j) => j.id)).toEqual([ID]);
  });

  it('reads a job.json from before revisions and updates it', async () => {
    await sut.create(exportJob());
    writeFileSync(join(jobDir(), 'job.json'), JSON.stringify(exportJob()));
    expect((await sut.update(ID, (j) => void (j.status = 'running')))?.status).toBe('running');
    expect(JSON.parse(readFileSync(join(jobDir(), 'job.json'), 'utf8')).revision).toBe(1);
  });
});

const describeRedis = REDIS_URL ? describe : describe.skip;

describeRedis('ExportJobStore, Redis mode keys', () => {
  const dirs: string[] = [];
  const stores: ExportJobStore[] = [];

  function replica(dataDir: string, url = REDIS_URL): ExportJobStore {
    const store = new ExportJobStore(
      parseConfig({ DATA_DIR: dataDir, REDIS_URL: url }),
      new FakeClock(),
    );
    stores.push(store);
    return store;
  }
  function newDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'cxgw-store-'));
    dirs.push(dir);
    return dir;
  }

  afterEach(async () => {
    for (const dir of dirs) await dropKeys(REDIS_URL as string, dir);
    for (const s of stores.splice(0)) await s.onApplicationShutdown();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the state in Redis, not in job.json, under the DATA_DIR store id', async () => {
    const dataDir = newDir();
    await replica(dataDir).create(exportJob());
    expect(readdirSync(join(dataDir, 'exports', ID))).toEqual([]);
    const client = new Redis(REDIS_URL as string);
    try {
      const key = `cxgw:export:${storeId(dataDir)}:job:${ID}`;
      expect(await client.hget(key, 'revision')).toBe('1');
      expect(await client.sismember(`cxgw:export:${storeId(dataDir)}:jobs`, ID)).toBe(1);
    } finally {
      client.disconnect();
    }
  });

  it('never shows one DATA_DIR the exports of another on the same Redis', async () => {
    const a = newDir();
    const b = newDir();
    await replica(a).create(exportJob());
    await replica(b).create(exportJob({ id: OTHER }));
    expect((await replica(a).list()).map((j) => j.id)).toEqual([ID]);
    expect(await replica(b).get(ID)).toBeUndefined();
    expect(storeId(a)).not.toBe(storeId(b));
  });

  it('answers SERVICE_UNAVAILABLE when Redis cannot be reached', async () => {
    const sut = replica(newDir(), 'redis://127.0.0.1:1');
    await expect(sut.get(ID)).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
  });
});
