import { mkdtempSync, rmSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../common/clock/fake-clock.fake';
import type { AuditFileConfig } from '../config/audit-config';
import { AuditLines } from './audit-lines';
import { auditRecord } from './audit-record.fake';
import { FileAuditStore } from './file-audit.store';

const LIMITS: AuditFileConfig = {
  maxBytes: 1 << 20,
  maxAgeHours: 24,
  maxFiles: 5,
  retentionDays: 30,
};
const T0 = Date.UTC(2026, 0, 1);
const record = (i: number, actor = 'a') => auditRecord(i, T0 + i * 1000, { actor });

describe('FileAuditStore', () => {
  let dir: string;
  let clock: FakeClock;
  const store = (file: string, limits = LIMITS, memoryRecords = 100) =>
    new FileAuditStore(file, { memoryRecords, limits, clock });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'audit-'));
    clock = new FakeClock(T0);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('appends JSONL and answers newest first with filters', async () => {
    const sut = store(join(dir, 'audit', 'audit.jsonl'));
    await sut.append(AuditLines.of([record(1), record(2, 'b'), record(3)]));
    expect((await sut.query({ limit: 10 })).map((r) => r.requestId)).toEqual(['r3', 'r2', 'r1']);
    expect((await sut.query({ limit: 10, actor: 'b' })).map((r) => r.requestId)).toEqual(['r2']);
    expect((await sut.query({ limit: 10, action: 'audit.list' })).length).toBe(2);
    const since = Date.parse(record(2).time);
    expect((await sut.query({ limit: 10, since })).map((r) => r.requestId)).toEqual(['r3', 'r2']);
    expect((await sut.query({ limit: 1 })).map((r) => r.requestId)).toEqual(['r3']);
  });

  it('reloads earlier records after a restart and skips unreadable lines', async () => {
    const file = join(dir, 'audit.jsonl');
    await store(file).append(AuditLines.of([record(1), record(2)]));
    appendFileSync(file, '{not json\n');
    const sut = store(file);
    await sut.append(AuditLines.of([record(3)]));
    expect((await sut.query({ limit: 10 })).map((r) => r.requestId)).toEqual(['r3', 'r2', 'r1']);
  });

  it('keeps only the newest records in memory', async () => {
    const sut = store(join(dir, 'audit.jsonl'), LIMITS, 100);
    await sut.append(AuditLines.of(Array.from({ length: 150 }, (_, i) => record(i))));
    const all = await sut.query({ limit: 1000 });
    expect(all).toHaveLength(100);
    expect(all[0].requestId).toBe('r149');
    expect(all[99].requestId).toBe('r50');
  });

  it('finds records in rotated files after a restart, newest first', async () => {
    const file = join(dir, 'audit.jsonl');
    const line = Buffer.byteLength(JSON.stringify(record(10)) + '\n');
    // Three records per file: the 10 records end up in four files.
    const limits = { ...LIMITS, maxBytes: line * 3 };
    const first = store(file, limits);
    for (let i = 10; i < 20; i++) await first.append(AuditLines.of([record(i)]));
    const sut = store(file, limits);
    const ids = (await sut.query({ limit: 100 })).map((r) => r.requestId);
    expect(ids).toEqual(Array.from({ length: 10 }, (_, i) => `r${19 - i}`));
    expect(
      (await sut.query({ limit: 5, actor: 'a', since: Date.parse(record(12).time) })).length,
    ).toBe(5);
  });
});
