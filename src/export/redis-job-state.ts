import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { randomBytes, randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../common/clock/clock';
import { KeyedMutex } from '../common/concurrency/keyed-mutex';
import { RedisLock } from '../common/concurrency/redis-lock';
import { COMPARE_AND_SET_HASH_SCRIPT } from '../common/concurrency/redis-scripts';
import { AppError } from '../common/errors/app-error';
import {
  assertExportId,
  checkJobShape,
  type CasOutcome,
  type JobStateBackend,
  type VersionedJob,
} from './export-job-state';
import type { ExportJobState } from './export.types';

const KEY_ROOT = 'cxgw:export';
/** Names the DATA_DIR whose result files this state belongs to (see `namespace`). */
const STORE_ID_FILE = '.store-id';
/** A command that has not answered by then fails (the caller sees SERVICE_UNAVAILABLE). */
const COMMAND_TIMEOUT_MS = 15_000;
/** Longer than any section (a list and a write); a dead holder blocks the others this long. */
const SECTION_TTL_MS = 10_000;
const SECTION_RETRY_MS = 20;

/**
 * Redis mode: each export is a hash `{revision, state}` plus a member of the export index set,
 * in the Redis that also holds the export queue, so any replica's worker and API read one state.
 * Every update is one compare-and-set script call. Keys are namespaced by an id kept in DATA_DIR,
 * so state and the result files it describes always belong together: two deployments (or two
 * test runs) sharing one Redis never see each other's exports.
 */
export class RedisJobState implements JobStateBackend {
  private readonly logger = new Logger('ExportJobStore');
  private readonly redis: Redis;
  private namespace?: Promise<string>;
  private readonly sections = new KeyedMutex();

  constructor(
    url: string,
    private readonly root: string,
    private readonly clock: Clock,
  ) {
    this.redis = new Redis(url, {
      // Queued while (re)connecting, failed after two reconnect attempts: a short blip is ridden
      // out, an outage surfaces instead of hanging requests.
      maxRetriesPerRequest: 2,
      connectTimeout: 2000,
      commandTimeout: COMMAND_TIMEOUT_MS,
      retryStrategy: (attempt) => Math.min(200 * attempt, 2000),
    });
    this.redis.on('error', (err: Error) => this.logger.debug(`Export state Redis: ${err.message}`));
  }

  async insert(job: ExportJobState): Promise<void> {
    const ns = await this.keys();
    const id = assertExportId(job.id);
    const results = await this.call(() =>
      this.redis
        .multi()
        .hset(ns.job(id), 'revision', '1', 'state', JSON.stringify(job))
        .sadd(ns.index, id)
        .exec(),
    );
    const failed = results?.find(([err]) => err !== null);
    if (!results || failed) throw unavailable(failed?.[0] ?? new Error('transaction aborted'));
  }

  async read(id: string): Promise<VersionedJob | undefined> {
    const ns = await this.keys();
    const [revision, state] = await this.call(() =>
      this.redis.hmget(ns.job(assertExportId(id)), 'revision', 'state'),
    );
    return parseStored(id, revision, state);
  }

  async compareAndSet(id: string, expected: number, job: ExportJobState): Promise<CasOutcome> {
    const ns = await this.keys();
    const key = ns.job(assertExportId(id));
    const answer = await this.call(() =>
      this.redis.eval(
        COMPARE_AND_SET_HASH_SCRIPT,
        1,
        key,
        String(expected),
        'state',
        JSON.stringify(job),
      ),
    );
    if (answer === 1) return 'written';
    return answer === 0 ? 'conflict' : 'missing';
  }

  async list(): Promise<ExportJobState[]> {
    const ns = await this.keys();
    const ids = (await this.call(() => this.redis.smembers(ns.index))).sort();
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hmget(ns.job(id), 'revision', 'state');
    const answers = (await this.call(() => pipeline.exec())) ?? [];
    const jobs: ExportJobState[] = [];
    ids.forEach((id, i) => {
      const [err, fields] = answers[i] ?? [new Error('no answer'), null];
      try {
        if (err) throw err;
        const [revision, state] = fields as (string | null)[];
        const stored = parseStored(id, revision, state);
        if (stored) jobs.push(stored.job);
      } catch (e) {
        this.logger.warn(`Skipping unreadable export ${id}: ${(e as Error).message}`);
      }
    });
    return jobs;
  }

  async remove(id: string): Promise<void> {
    const ns = await this.keys();
    const key = assertExportId(id);
    await this.call(() => this.redis.multi().del(ns.job(key)).srem(ns.index, key).exec());
  }

  /**
   * Serialized in this process by a mutex and across replicas by a Redis lock. A holder that
   * died is waited out by the lock's TTL; a holder that outlives it (a section longer than
   * SECTION_TTL_MS) no longer excludes anyone.
   */
  async exclusive<T>(name: string, section: () => Promise<T>): Promise<T> {
    return this.sections.run(name, async () => {
      const ns = await this.keys();
      const lock = new RedisLock(this.redis, `${ns.prefix}:lock:${name}`, SECTION_TTL_MS);
      const held = await this.call(() =>
        lock.acquire({ clock: this.clock, retryMs: SECTION_RETRY_MS }),
      );
      try {
        return await section();
      } finally {
        await held?.release().catch((err: unknown) => {
          this.logger.debug(`Export state lock ${name}: release failed: ${String(err)}`);
        });
      }
    });
  }

  async close(): Promise<void> {
    if (this.redis.status === 'ready') {
      await this.redis.quit().catch(() => this.redis.disconnect());
    } else {
      // Not connected: quit would wait for a reconnect that may never come.
      this.redis.disconnect();
    }
  }

  private async keys(): Promise<{ prefix: string; index: string; job: (id: string) => string }> {
    this.namespace ??= loadStoreId(this.root).catch((err: unknown) => {
      this.namespace = undefined;
      throw err;
    });
    const prefix = `${KEY_ROOT}:${await this.namespace}`;
    return { prefix, index: `${prefix}:jobs`, job: (id) => `${prefix}:job:${id}` };
  }

  private async call<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (err) {
      throw unavailable(err);
    }
  }
}

function parseStored(
  id: string,
  revision: string | null,
  state: string | null,
): VersionedJob | undefined {
  if (revision === null || state === null) return undefined;
  return { revision: Number(revision), job: checkJobShape(JSON.parse(state), id) };
}

function unavailable(cause: unknown): AppError {
  return new AppError('SERVICE_UNAVAILABLE', 'The export state store (Redis) is unavailable', {
    cause,
    retryAfterS: 5,
  });
}

/**
 * The id of this DATA_DIR's export store, made once by whichever replica gets there first:
 * written to a temporary file and hard-linked into place, so a reader sees a whole id or none and
 * a second replica racing the first adopts the first one's id.
 */
async function loadStoreId(root: string): Promise<string> {
  const target = join(root, STORE_ID_FILE);
  const existing = await readStoreId(target);
  if (existing) return existing;
  await mkdir(root, { recursive: true });
  const tmp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, `${randomUUID()}\n`, { flag: 'wx' });
  try {
    await link(tmp, target);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    await rm(tmp, { force: true });
  }
  const id = await readStoreId(target);
  if (!id) throw new Error(`${target} does not hold a store id`);
  return id;
}

async function readStoreId(file: string): Promise<string | undefined> {
  try {
    const id = (await readFile(file, 'utf8')).trim();
    return /^[0-9a-f-]{36}$/.test(id) ? id : undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
