import { isoTime } from './iso-time';

describe('isoTime', () => {
  it('writes what Date#toISOString writes', () => {
    const times = [
      0,
      1,
      999,
      1000,
      Date.UTC(2026, 11, 1, 23, 59, 59, 999),
      Date.UTC(2026, 11, 2, 0, 0, 0, 0),
      Date.UTC(2024, 1, 29, 12, 0, 0, 7),
      Date.UTC(2024, 1, 29, 12, 0, 0, 70),
      1_764_547_200_123.9, // a fraction: cut, as Date cuts it
      253_402_300_799_999, // the last millisecond of year 9999
    ];
    for (const ms of times) expect(isoTime(ms)).toBe(new Date(ms).toISOString());
  });

  it('is right across second boundaries in any order (the cached second is replaced)', () => {
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const base = Date.UTC(2026, 0, 1);
    for (let i = 0; i < 5000; i++) {
      const ms = base + Math.floor(random() * 3000) + (i % 2 ? 0 : 86_400_000 * 400);
      expect(isoTime(ms)).toBe(new Date(ms).toISOString());
    }
  });

  it('hands times outside four-digit years to Date (and throws as Date does on NaN)', () => {
    expect(isoTime(-1)).toBe(new Date(-1).toISOString());
    expect(isoTime(253_402_300_800_000)).toBe(new Date(253_402_300_800_000).toISOString());
    expect(() => isoTime(Number.NaN)).toThrow(RangeError);
  });
});
