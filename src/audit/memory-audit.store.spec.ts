import { auditRecord } from './audit-record.fake';
import type { AuditRecord } from './audit.types';
import { MemoryAuditStore } from './memory-audit.store';

describe('MemoryAuditStore', () => {
  const at = (minute: number) => `2026-01-15T12:${String(minute).padStart(2, '0')}:00.000Z`;
  const record = (overrides: Partial<AuditRecord>) => auditRecord(0, 0, overrides);

  it('keeps the newest `capacity` records and answers them newest first', async () => {
    const sut = new MemoryAuditStore(3);
    await sut.append([1, 2, 3, 4].map((m) => record({ time: at(m), requestId: `r${m}` })));
    sut.remember([record({ time: at(5), requestId: 'r5' })]);
    expect(sut.size).toBe(3);
    const found = await sut.query({ limit: 10 });
    expect(found.map((r) => r.requestId)).toEqual(['r5', 'r4', 'r3']);
  });

  it('filters by actor, action and time, and stops at the limit', async () => {
    const sut = new MemoryAuditStore(100);
    sut.remember([
      record({ time: at(1), actor: 'a', action: 'x' }),
      record({ time: at(2), actor: 'b', action: 'x' }),
      record({ time: at(3), actor: 'a', action: 'y' }),
      record({ time: at(4), actor: 'a', action: 'x' }),
    ]);
    const byActor = await sut.query({ actor: 'a', limit: 2 });
    expect(byActor.map((r) => r.time)).toEqual([at(4), at(3)]);
    const since = await sut.query({ action: 'x', since: Date.parse(at(2)), limit: 10 });
    expect(since.map((r) => r.time)).toEqual([at(4), at(2)]);
  });

  it('reloads a batch larger than the call stack allows in one push', () => {
    const sut = new MemoryAuditStore(200_000);
    sut.remember(Array.from({ length: 150_000 }, (_, i) => record({ requestId: `r${i}` })));
    expect(sut.size).toBe(150_000);
  });
});
