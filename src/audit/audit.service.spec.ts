import { Logger } from '@nestjs/common';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../common/clock/fake-clock.fake';
import { AppError } from '../common/errors/app-error';
import { RedisService } from '../common/redis/redis.service';
import { parseConfig } from '../config/app-config';
import { MetricsService } from '../observability/metrics.service';
import { auditRecord } from './audit-record.fake';
import { AuditService } from './audit.service';

const isAuditLine = (message: unknown): boolean =>
  typeof message === 'object' && message !== null && 'audit' in message;

describe('AuditService', () => {
  let dir: string;
  let clock: FakeClock;
  let metrics: MetricsService;
  let redis: RedisService;
  let sut: AuditService;

  const start = (env: Record<string, string> = {}): void => {
    const config = parseConfig({
      DATA_DIR: dir,
      AUDIT_MEMORY_RECORDS: '100',
      AUDIT_ANONYMOUS_RECORDS: '10',
      ...env,
    });
    redis = new RedisService(config);
    sut = new AuditService(config, redis, clock, metrics);
  };
  const anonymous = (i: number) =>
    auditRecord(i, clock.now(), { actor: null, status: 401, outcome: 'denied' });
  const counted = async (): Promise<number> => {
    const metric = await metrics.registry.getSingleMetricAsString(
      'gateway_anonymous_requests_total',
    );
    const line = metric.split('\n').find((l) => l.includes('status="401"'));
    return Number(line?.split(' ').pop());
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'audit-svc-'));
    clock = new FakeClock();
    metrics = new MetricsService();
  });
  afterEach(async () => {
    await sut.beforeApplicationShutdown();
    await redis.onApplicationShutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes a log line per record at LOG_LEVEL=info, none at warn (the trail keeps both)', async () => {
    const lines = (level: string): number => {
      metrics = new MetricsService();
      start({ LOG_LEVEL: level });
      const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
      try {
        sut.record(auditRecord(0, clock.now(), { actor: 'tester', action: 'status.update' }));
        return log.mock.calls.filter(([message]) => isAuditLine(message)).length;
      } finally {
        log.mockRestore();
      }
    };
    expect(lines('info')).toBe(1);
    await sut.beforeApplicationShutdown();
    await redis.onApplicationShutdown();
    expect(lines('warn')).toBe(0);
    // Both records are in the trail (one file, both services), logged or not.
    expect((await sut.query({ limit: 10 })).map((r) => r.action)).toEqual([
      'status.update',
      'status.update',
    ]);
  });

  it('keeps a caller’s record through 10× the trail of anonymous ones, stored apart', async () => {
    start();
    sut.record(auditRecord(0, clock.now(), { actor: 'tester', action: 'status.update' }));
    for (let i = 1; i <= 1000; i++) sut.record(anonymous(i));
    const trail = await sut.query({ limit: 1000 });
    expect(trail.map((r) => r.action)).toEqual(['status.update']);
    const kept = await sut.queryAnonymous({ limit: 1000 });
    expect(kept.map((r) => r.requestId)).toEqual(
      Array.from({ length: 10 }, (_, i) => `r${1000 - i}`),
    );
    expect(await counted()).toBe(1000);
    const file = readFileSync(join(dir, 'audit', 'audit.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(file.map((l) => (JSON.parse(l) as { actor: string }).actor)).toEqual(['tester']);
  });

  it('writes in batches on the clock', async () => {
    start();
    sut.record(auditRecord(0, clock.now(), { actor: 'tester' }));
    const file = join(dir, 'audit', 'audit.jsonl');
    expect(() => readFileSync(file)).toThrow();
    await clock.advance(99);
    expect(() => readFileSync(file)).toThrow();
    // The timer's write is file I/O: wait for it to land (bounded), without flushing by hand.
    await clock.advance(1);
    const until = Date.now() + 2000;
    while (!existsSync(file) && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    expect(readFileSync(file, 'utf8')).toContain('"actor":"tester"');
  });

  it('with Redis down: the trail falls back to the file, anonymous reads are a 503', async () => {
    start({ REDIS_URL: 'redis://127.0.0.1:1' });
    sut.record(auditRecord(0, clock.now(), { actor: 'tester' }));
    sut.record(anonymous(1));
    const trail = await sut.query({ limit: 10 });
    expect(trail.map((r) => r.actor)).toEqual(['tester']);
    const refused = await sut.queryAnonymous({ limit: 10 }).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('SERVICE_UNAVAILABLE');
    expect(await counted()).toBe(1);
  });
});
