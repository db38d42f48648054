import { mkdtempSync, rmSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditRecord } from './audit.types';
import { FileAuditStore } from './file-audit.store';

function record(i: number, actor = 'a'): AuditRecord {
  return {
    time: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    requestId: `r${i}`,
    actor,
    ip: '127.0.0.1',
    method: 'GET',
    route: '/v1/audit',
    action: i % 2 ? 'audit.list' : 'history.get',
    targets: {},
    status: 200,
    outcome: 'success',
    latencyMs: 1,
  };
}

describe('FileAuditStore', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'audit-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('appends JSONL and answers newest first with filters', async () => {
    const sut = new FileAuditStore(join(dir, 'audit', 'audit.jsonl'));
    await sut.append([record(1), record(2, 'b'), record(3)]);
    expect((await sut.query({ limit: 10 })).map((r) => r.requestId)).toEqual(['r3', 'r2', 'r1']);
    expect((await sut.query({ limit: 10, actor: 'b' })).map((r) => r.requestId)).toEqual(['r2']);
    expect((await sut.query({ limit: 10, action: 'audit.list' })).length).toBe(2);
    const since = Date.parse(record(2).time);
    expect((await sut.query({ limit: 10, since })).map((r) => r.requestId)).toEqual(['r3', 'r2']);
    expect((await sut.query({ limit: 1 })).map((r) => r.requestId)).toEqual(['r3']);
  });

  it('reloads earlier records after a restart and skips unreadable lines', async () => {
    const file = join(dir, 'audit.jsonl');
    await new FileAuditStore(file).append([record(1), record(2)]);
    appendFileSync(file, '{not json\n');
    const sut = new FileAuditStore(file);
    await sut.append([record(3)]);
    expect((await sut.query({ limit: 10 })).map((r) => r.requestId)).toEqual(['r3', 'r2', 'r1']);
  });
});
