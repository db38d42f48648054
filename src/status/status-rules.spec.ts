import { FakeClock } from '../common/clock/fake-clock.fake';
import { AppError } from '../common/errors/app-error';
import { DEFAULT_PAUSE_REASONS } from '../config/defaults';
import {
  assertOnShift,
  assertStatusRole,
  buildStatusPayload,
  statusRuleViolations,
} from './status-rules';

function thrown(fn: () => void): AppError {
  try {
    fn();
  } catch (err) {
    return err as AppError;
  }
  throw new Error('expected an AppError');
}

describe('buildStatusPayload', () => {
  it('builds the v2 §status exact body with nulls and directive flags', () => {
    expect(buildStatusPayload({ status: 'Break', pauseReason: 'Queue Full' })).toEqual({
      status: 'Break',
      pauseReason: 'Queue Full',
      wrapUpCode: null,
      directiveFlags: { autoAvailable: false, respectWrapUp: true },
    });
  });

  it('maps forceAvailability to autoAvailable and keeps the wrap-up code', () => {
    const sut = buildStatusPayload({
      status: 'Available',
      wrapUpCode: 'FU-1',
      forceAvailability: true,
    });
    expect(sut).toEqual({
      status: 'Available',
      pauseReason: null,
      wrapUpCode: 'FU-1',
      directiveFlags: { autoAvailable: true, respectWrapUp: true },
    });
    expect(Object.keys(sut)).toEqual(['status', 'pauseReason', 'wrapUpCode', 'directiveFlags']);
  });
});

describe('statusRuleViolations', () => {
  it('requires a pause reason for Break and lists the allowed ones', () => {
    const [sut] = statusRuleViolations({ status: 'Break' }, DEFAULT_PAUSE_REASONS);
    expect(sut.field).toBe('pauseReason');
    expect(sut.message).toContain(
      'IT Issue, Queue Full, Skill Gap, Manager Meeting, System Maintenance',
    );
  });

  it('refuses an unknown pause reason (case-sensitive) for any status', () => {
    expect(
      statusRuleViolations({ status: 'Busy', pauseReason: 'queue full' }, DEFAULT_PAUSE_REASONS),
    ).toHaveLength(1);
  });

  it('accepts tenant-configured reasons and statuses without one', () => {
    expect(statusRuleViolations({ status: 'Break', pauseReason: 'Lunch' }, ['Lunch'])).toEqual([]);
    expect(statusRuleViolations({ status: 'Available', pauseReason: null }, ['Lunch'])).toEqual([]);
  });
});

describe('assertStatusRole', () => {
  it.each([['Agent'], ['Supervisor']])('lets a %s through', (role) => {
    expect(() => assertStatusRole('u1', { roles: ['Viewer', role] })).not.toThrow();
  });

  it('403s without an Agent or Supervisor role, naming the rule', () => {
    const sut = thrown(() => assertStatusRole('u1', { roles: ['Viewer'] }));
    expect(sut.code).toBe('FORBIDDEN');
    expect(sut.message).toMatch(/Agent or Supervisor role is required \(has: Viewer\)/);
    expect(sut.extensions).toMatchObject({ rule: 'role' });
  });

  it('403s a user with no roles', () => {
    expect(thrown(() => assertStatusRole('u1', { roles: [] })).message).toMatch(/has: none/);
  });
});

describe('assertOnShift', () => {
  const clock = new FakeClock(Date.parse('2026-01-15T12:00:00Z'));
  const nowS = clock.now() / 1000;
  const shift = { start: nowS - 3600, end: nowS + 3600 };

  it('passes inside the shift window, bounds included', () => {
    expect(() =>
      assertOnShift('u1', { roles: [], shiftSchedule: shift }, clock.now()),
    ).not.toThrow();
    expect(() =>
      assertOnShift('u1', { roles: [], shiftSchedule: { start: nowS, end: nowS } }, clock.now()),
    ).not.toThrow();
  });

  it('passes when the user has no schedule', () => {
    expect(() => assertOnShift('u1', { roles: [] }, clock.now())).not.toThrow();
  });

  it('422s after the shift ends, naming the window', () => {
    const later = new FakeClock(clock.now());
    later.set(clock.now() + 2 * 3600 * 1000);
    const sut = thrown(() => assertOnShift('u1', { roles: [], shiftSchedule: shift }, later.now()));
    expect(sut.code).toBe('UNPROCESSABLE');
    expect(sut.message).toContain('2026-01-15T11:00:00.000Z – 2026-01-15T13:00:00.000Z');
    expect(sut.extensions).toMatchObject({ rule: 'shift' });
  });

  it('422s before the shift starts', () => {
    const early = clock.now() - 2 * 3600 * 1000;
    expect(thrown(() => assertOnShift('u1', { roles: [], shiftSchedule: shift }, early)).code).toBe(
      'UNPROCESSABLE',
    );
  });
});
