import { AppError } from '../../common/errors/app-error';
import { DAY_MS, resolveHistoryRange } from './history-range';

const NOW = Date.parse('2026-01-15T12:00:00Z');
const limits = { nowMs: NOW, maxDays: 31 };

function fieldErrors(fn: () => unknown): { field: string; message: string }[] {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('VALIDATION_FAILED');
    return (err as AppError).errors ?? [];
  }
  throw new Error('expected a validation error');
}

describe('resolveHistoryRange', () => {
  it('defaults to the last 24 hours', () => {
    expect(resolveHistoryRange({}, limits)).toEqual({
      startMs: NOW - DAY_MS,
      endMs: NOW,
      clamped: false,
    });
  });

  it('defaults start to 24 h before a given end', () => {
    const sut = resolveHistoryRange({ end: '2026-01-10T00:00:00Z' }, limits);
    expect(sut.startMs).toBe(Date.parse('2026-01-09T00:00:00Z'));
  });

  it('clamps a future end to now', () => {
    const sut = resolveHistoryRange(
      { start: '2026-01-15T00:00:00Z', end: '2026-01-20T00:00:00Z' },
      limits,
    );
    expect(sut).toEqual({ startMs: Date.parse('2026-01-15T00:00:00Z'), endMs: NOW, clamped: true });
  });

  it('accepts exactly maxDays and refuses one millisecond more, naming end', () => {
    const end = '2026-01-15T00:00:00Z';
    expect(resolveHistoryRange({ start: '2025-12-15T00:00:00Z', end }, limits).startMs).toBe(
      Date.parse(end) - 31 * DAY_MS,
    );
    expect(
      fieldErrors(() => resolveHistoryRange({ start: '2025-12-14T23:59:59.999Z', end }, limits)),
    ).toEqual([{ field: 'end', message: expect.stringContaining('31 days') as string }]);
  });

  it('names start when a defaulted end makes the range too long', () => {
    expect(
      fieldErrors(() => resolveHistoryRange({ start: '2025-11-01T00:00:00Z' }, limits))[0].field,
    ).toBe('start');
  });

  it('measures the span after clamping', () => {
    const start = new Date(NOW - 31 * DAY_MS).toISOString();
    expect(resolveHistoryRange({ start, end: '2026-03-01T00:00:00Z' }, limits).endMs).toBe(NOW);
  });

  it('refuses end before or equal to start', () => {
    const at = '2026-01-10T00:00:00Z';
    expect(fieldErrors(() => resolveHistoryRange({ start: at, end: at }, limits))).toEqual([
      { field: 'end', message: 'end must be after start' },
    ]);
    expect(
      fieldErrors(() => resolveHistoryRange({ start: at, end: '2026-01-09T00:00:00Z' }, limits))[0]
        .field,
    ).toBe('end');
  });

  it('refuses a start in the future', () => {
    expect(
      fieldErrors(() => resolveHistoryRange({ start: '2026-02-01T00:00:00Z' }, limits))[0].field,
    ).toBe('start');
  });

  it('lists every malformed field at once', () => {
    const errors = fieldErrors(() =>
      resolveHistoryRange({ start: 'yesterday', end: '2026-01-15T00:00:00+25:00' }, limits),
    );
    expect(errors.map((e) => e.field).sort()).toEqual(['end', 'start']);
  });
});
