import { parseIsoInstant } from './iso-instant';

describe('parseIsoInstant', () => {
  it.each([
    ['2026-01-15T08:00:00Z', Date.UTC(2026, 0, 15, 8)],
    ['2026-01-15T08:00:00.123Z', Date.UTC(2026, 0, 15, 8, 0, 0, 123)],
    ['2026-01-15T08:00:00.123456Z', Date.UTC(2026, 0, 15, 8, 0, 0, 123)],
    ['2026-01-15T10:00:00+02:00', Date.UTC(2026, 0, 15, 8)],
    ['2026-01-15T03:30-04:30', Date.UTC(2026, 0, 15, 8)],
    // An unencoded "+" in a query string arrives as a space.
    ['2026-01-15T10:00:00 02:00', Date.UTC(2026, 0, 15, 8)],
    // No offset: UTC, as on every other endpoint (never the server's local time).
    ['2026-01-15T08:00:00', Date.UTC(2026, 0, 15, 8)],
    ['2026-01-15', Date.UTC(2026, 0, 15)],
  ])('reads %s', (text, expected) => {
    expect(parseIsoInstant(text)).toBe(expected);
  });

  it.each([
    '2026-02-30T00:00:00Z',
    '2026-01-15T24:00:00Z',
    '2026-01-15T08:00:00+25:00',
    'yesterday',
    '',
  ])('rejects %p', (text) => {
    expect(parseIsoInstant(text)).toBeUndefined();
  });
});
