import { splitWindows } from './export-windows';

const ms = (iso: string) => Date.parse(iso);

describe('splitWindows', () => {
  it('splits 45 days into a 30-day window and a 15-day window', () => {
    expect(splitWindows(ms('2024-01-01T00:00:00Z'), ms('2024-02-15T00:00:00Z'), 30)).toEqual([
      { dateFrom: '2024-01-01T00:00:00.000Z', dateTo: '2024-01-31T00:00:00.000Z' },
      { dateFrom: '2024-01-31T00:00:00.000Z', dateTo: '2024-02-15T00:00:00.000Z' },
    ]);
  });

  it('keeps a short range as one window with millisecond precision', () => {
    expect(
      splitWindows(ms('2023-10-01T00:00:00.000Z'), ms('2023-10-15T23:59:59.999Z'), 30),
    ).toEqual([{ dateFrom: '2023-10-01T00:00:00.000Z', dateTo: '2023-10-15T23:59:59.999Z' }]);
  });

  it('produces contiguous windows that cover the range exactly', () => {
    const start = ms('2024-01-01T06:30:00Z');
    const end = ms('2024-12-31T18:00:00Z');
    const windows = splitWindows(start, end, 7);
    expect(windows[0].dateFrom).toBe(new Date(start).toISOString());
    expect(windows.at(-1)?.dateTo).toBe(new Date(end).toISOString());
    for (let i = 1; i < windows.length; i += 1) {
      expect(windows[i].dateFrom).toBe(windows[i - 1].dateTo);
      expect(ms(windows[i - 1].dateTo) - ms(windows[i - 1].dateFrom)).toBe(7 * 86_400_000);
    }
  });

  it('returns a single exact window when the range equals the window size', () => {
    expect(splitWindows(0, 30 * 86_400_000, 30)).toHaveLength(1);
  });

  it('returns nothing for an empty range', () => {
    expect(splitWindows(10, 10, 30)).toEqual([]);
  });
});
