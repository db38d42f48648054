import { DAY_MS } from '../../iso-time';
import { segmentId } from './de-entities';
import { SegmentRowGenerator } from './segment-rows.generator';

const DAY = 19_723; // 2024-01-01

describe('SegmentRowGenerator', () => {
  it('is a pure function of (seed, day, index)', () => {
    const a = new SegmentRowGenerator(42, 500);
    const b = new SegmentRowGenerator(42, 500);
    expect([...a.rowsOfDays(DAY, DAY + 2)]).toEqual([...b.rowsOfDays(DAY, DAY + 2)]);
    const other = new SegmentRowGenerator(43, 500);
    expect([...other.rowsOfDays(DAY, DAY + 1)].map((r) => r.h)).not.toEqual(
      [...a.rowsOfDays(DAY, DAY + 1)].map((r) => r.h),
    );
  });

  it('yields rowsPerDay rows per day, in start order, each inside its own day', () => {
    const sut = new SegmentRowGenerator(7, 1000);
    const rows = [...sut.rowsOfDays(DAY, DAY + 3)];
    expect(rows).toHaveLength(3000);
    for (let i = 1; i < rows.length; i += 1)
      expect(rows[i].startMs).toBeGreaterThan(rows[i - 1].startMs);
    for (const row of rows) expect(Math.floor(row.startMs / DAY_MS)).toBe(row.day);
  });

  it('holds ~1 % duplicated and a disjoint ~1 % broken rows, at least one of each per day', () => {
    const sut = new SegmentRowGenerator(42, 20_000);
    const rows = [...sut.rowsOfDays(DAY, DAY + 1)];
    const duplicated = rows.filter((r) => r.duplicated).length;
    const broken = rows.filter((r) => r.defect !== undefined).length;
    expect(duplicated / rows.length).toBeGreaterThan(0.005);
    expect(duplicated / rows.length).toBeLessThan(0.02);
    expect(broken / rows.length).toBeGreaterThan(0.005);
    expect(broken / rows.length).toBeLessThan(0.02);
    expect(rows.some((r) => r.duplicated && r.defect !== undefined)).toBe(false);
    const kinds = new Set(rows.map((r) => r.defect).filter(Boolean));
    expect(kinds.size).toBe(5);

    const tiny = new SegmentRowGenerator(42, 3);
    for (let day = DAY; day < DAY + 5; day += 1) {
      const dayRows = [...tiny.rowsOfDays(day, day + 1)];
      expect(dayRows.filter((r) => r.duplicated)).toHaveLength(1);
      expect(dayRows.filter((r) => r.defect !== undefined)).toHaveLength(1);
    }
  });

  it('gives every row of a large range its own Segment ID', () => {
    const ids = new Set<string>();
    for (let day = DAY; day < DAY + 3; day += 1)
      for (let k = 0; k < 100_000; k += 1) ids.add(segmentId(42, day, k));
    expect(ids.size).toBe(300_000);
    expect(segmentId(42, DAY, 5)).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});
