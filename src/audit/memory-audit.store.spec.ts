import { AuditLines } from './audit-lines';
import { auditRecord } from './audit-record.fake';
import type { AuditRecord } from './audit.types';
import { MemoryAuditStore } from './memory-audit.store';

describe('MemoryAuditStore', () => {
  const at = (minute: number) => `2026-01-15T12:${String(minute).padStart(2, '0')}:00.000Z`;
  const record = (overrides: Partial<AuditRecord>) => auditRecord(0, 0, overrides);
  const ids = async (sut: MemoryAuditStore, limit = 100) =>
    (await sut.query({ limit })).map((r) => r.requestId);

  it('keeps the newest `capacity` records and answers them newest first', async () => {
    const sut = new MemoryAuditStore(3);
    await sut.append(
      AuditLines.of([1, 2, 3, 4].map((m) => record({ time: at(m), requestId: `r${m}` }))),
    );
    sut.remember(AuditLines.of([record({ time: at(5), requestId: 'r5' })]));
    expect(sut.size).toBe(3);
    expect(await ids(sut, 10)).toEqual(['r5', 'r4', 'r3']);
  });

  it('lets an old batch go once the newer ones hold `capacity` records, one by one', async () => {
    const sut = new MemoryAuditStore(4);
    for (let i = 1; i <= 9; i++) sut.remember(AuditLines.of([record({ requestId: `r${i}` })]));
    expect(sut.size).toBe(4);
    expect(await ids(sut)).toEqual(['r9', 'r8', 'r7', 'r6']);
    // A batch of several: the records before it in the same answer, never more than capacity.
    sut.remember(AuditLines.of([10, 11, 12].map((i) => record({ requestId: `r${i}` }))));
    expect(await ids(sut)).toEqual(['r12', 'r11', 'r10', 'r9']);
  });

  it('filters by actor, action and time, and stops at the limit', async () => {
    const sut = new MemoryAuditStore(100);
    sut.remember(
      AuditLines.of([
        record({ time: at(1), actor: 'a', action: 'x' }),
        record({ time: at(2), actor: 'b', action: 'x' }),
        record({ time: at(3), actor: 'a', action: 'y' }),
        record({ time: at(4), actor: 'a', action: 'x' }),
      ]),
    );
    const byActor = await sut.query({ actor: 'a', limit: 2 });
    expect(byActor.map((r) => r.time)).toEqual([at(4), at(3)]);
    const since = await sut.query({ action: 'x', since: Date.parse(at(2)), limit: 10 });
    expect(since.map((r) => r.time)).toEqual([at(4), at(2)]);
  });

  it('answers the records exactly as they were recorded, detail and cache included', async () => {
    const sut = new MemoryAuditStore(10);
    const original = record({ cache: 'HIT', detail: { status: 'Ünavailable "x"', n: 1, b: null } });
    sut.remember(AuditLines.of([original]));
    expect(await sut.query({ limit: 1 })).toEqual([original]);
  });

  it('holds a reload larger than the call stack allows in one push', () => {
    const sut = new MemoryAuditStore(200_000);
    sut.remember(
      AuditLines.of(Array.from({ length: 150_000 }, (_, i) => record({ requestId: `r${i}` }))),
    );
    expect(sut.size).toBe(150_000);
  });
});
