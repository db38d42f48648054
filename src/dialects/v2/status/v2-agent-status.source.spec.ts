import { parseStatusWrite, parseUpstreamUser } from './v2-agent-status.source';

describe('V2 agent status source validators', () => {
  it('reads roles and the shift schedule', () => {
    const sut = parseUpstreamUser({
      id: 'u1',
      roles: [{ name: 'Agent' }, { name: 'Trainer' }],
      shiftSchedule: { start: 10, end: 20 },
    });
    expect(sut).toEqual({ roles: ['Agent', 'Trainer'], shiftSchedule: { start: 10, end: 20 } });
  });

  it('accepts a user without a schedule', () => {
    expect(parseUpstreamUser({ roles: [], shiftSchedule: null })).toEqual({ roles: [] });
  });

  it.each([
    ['not an object', 'x'],
    ['no roles', {}],
    ['a role without a name', { roles: [{}] }],
    ['a string schedule', { roles: [], shiftSchedule: 'always' }],
    ['ISO schedule bounds', { roles: [], shiftSchedule: { start: '2026-01-01', end: 5 } }],
  ])('rejects a user with %s', (_name, data) => {
    expect(() => parseUpstreamUser(data)).toThrow();
  });

  it('reads the write confirmation, tolerating an empty body', () => {
    expect(
      parseStatusWrite({ status: 'Busy', pauseReason: null, updatedAt: '2026-01-15T12:00:00Z' }),
    ).toEqual({
      status: 'Busy',
      pauseReason: null,
      updatedAt: '2026-01-15T12:00:00Z',
    });
    expect(parseStatusWrite('')).toEqual({});
  });

  it.each([
    ['an array', []],
    ['a numeric status', { status: 1 }],
    ['a bad date', { updatedAt: 'yesterday' }],
  ])('rejects a write confirmation that is %s', (_name, data) => {
    expect(() => parseStatusWrite(data)).toThrow();
  });
});
