import { cellInstant, mayLieInWindow } from './csv-columns';

const H = 3_600_000;
const FROM = Date.parse('2024-05-02T00:00:00Z');
const TO = Date.parse('2024-05-03T00:00:00Z');

describe('cellInstant', () => {
  it.each([
    ['2024-05-02T01:30:00.000Z', '2024-05-02T01:30:00.000Z', true, 1],
    ['2024-05-01T21:30:00-04:00', '2024-05-02T01:30:00.000Z', true, 1000],
    ['2024-05-01T21:30:00+0000', '2024-05-01T21:30:00.000Z', true, 1000],
    ['2024-05-01T21:30:00.5', '2024-05-01T21:30:00.500Z', false, 100],
    ['2024-05-01 21:30', '2024-05-01T21:30:00.000Z', false, 60_000],
    ['2024-05-01', '2024-05-01T00:00:00.000Z', false, 86_400_000],
    ['5/1/2024 9:30:00 PM', '2024-05-01T21:30:00.000Z', false, 1000],
    ['05/01/2024 12:05 AM', '2024-05-01T00:05:00.000Z', false, 60_000],
    ['5/1/2024 12:00:00 PM', '2024-05-01T12:00:00.000Z', false, 1000],
    ['5/1/2024', '2024-05-01T00:00:00.000Z', false, 86_400_000],
  ])('reads %s as %s (zoned %s, span %d ms)', (text, iso, zoned, spanMs) => {
    expect(cellInstant(text)).toEqual({ ms: Date.parse(iso), zoned, spanMs });
  });

  it.each([
    '',
    '  ',
    'not a date',
    '13/45/2024 9:00 PM',
    '2/30/2024',
    '5/1/2024 13:00 PM',
    '5/1/2024 10:61',
  ])('cannot read %j', (text) => {
    expect(cellInstant(text)).toBeUndefined();
  });
});

describe('mayLieInWindow', () => {
  const zoned = (iso: string) => ({ ms: Date.parse(iso), zoned: true, spanMs: 1 });
  const local = (wall: string, spanMs = 1000) => ({
    ms: Date.parse(`${wall}Z`),
    zoned: false,
    spanMs,
  });

  it('filters a value that names its zone exactly, [from, to)', () => {
    expect(mayLieInWindow(zoned('2024-05-01T23:59:59.999Z'), FROM, TO)).toBe(false);
    expect(mayLieInWindow(zoned('2024-05-02T00:00:00.000Z'), FROM, TO)).toBe(true);
    expect(mayLieInWindow(zoned('2024-05-02T23:59:59.999Z'), FROM, TO)).toBe(true);
    expect(mayLieInWindow(zoned('2024-05-03T00:00:00.000Z'), FROM, TO)).toBe(false);
  });

  it('keeps a zone-less value that some offset from UTC−12 to UTC+14 places inside', () => {
    // US-Eastern 9:30 PM the day before is 01:30Z of the window's day: the defect's example.
    expect(mayLieInWindow(local('2024-05-01T21:30:00'), FROM, TO)).toBe(true);
    // At UTC−12, 12:00:00 the day before is 00:00:00Z: the earliest wall time that can be inside.
    expect(mayLieInWindow(local('2024-05-01T12:00:00'), FROM, TO)).toBe(true);
    expect(mayLieInWindow(local('2024-05-01T11:59:59'), FROM, TO)).toBe(false);
    // At UTC+14, 13:59:59.999 the day after is the window's last millisecond.
    expect(mayLieInWindow(local('2024-05-03T13:59:59.999', 1), FROM, TO)).toBe(true);
    expect(mayLieInWindow(local('2024-05-03T14:00:00.000', 1), FROM, TO)).toBe(false);
  });

  it('widens a zone-less value by its precision', () => {
    // 12:00 written in minutes may be 12:00:59 local: at UTC−12, inside a window from 00:00:30Z.
    const late = FROM + 30_000;
    expect(mayLieInWindow(local('2024-05-01T12:00:00', 60_000), late, TO)).toBe(true);
    expect(mayLieInWindow(local('2024-05-01T12:00:00', 1000), late, TO)).toBe(false);
    // A date alone covers its whole day.
    expect(mayLieInWindow(local('2024-05-01T00:00:00', 24 * H), FROM, TO)).toBe(true);
    expect(mayLieInWindow(local('2024-04-30T00:00:00', 24 * H), FROM, TO)).toBe(false);
  });
});
