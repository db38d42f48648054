import { SANDBOX_FIXTURES } from './fixtures';
import { parseStatusChange } from './handlers/users.handler';
import { UserStore } from './users.store';

const U = SANDBOX_FIXTURES.users;
const flags = { autoAvailable: false, respectWrapUp: true };

describe('UserStore', () => {
  const now = Date.parse('2024-05-01T12:00:00Z');
  const sut = new UserStore(() => now);

  it('computes shifts in epoch seconds relative to now', () => {
    const nowS = now / 1000;
    expect(sut.get(U.agent)?.shiftSchedule).toEqual({
      start: nowS - 4 * 3600,
      end: nowS + 4 * 3600,
    });
    expect(sut.get(U.offShift)?.shiftSchedule?.end).toBeLessThan(nowS);
    expect(sut.get(U.noShift)?.shiftSchedule).toBeUndefined();
    expect(sut.get(U.noAgentRole)?.roles).toEqual([{ name: 'Viewer' }]);
    expect(sut.get(U.unknown)).toBeUndefined();
  });

  it('remembers a status and blocks wrap-up users that respect wrap-up', () => {
    const change = {
      status: 'Break',
      pauseReason: 'Queue Full',
      wrapUpCode: null,
      respectWrapUp: true,
    } as const;
    expect(sut.setStatus(U.agent, change).kind).toBe('ok');
    expect(sut.get(U.agent)?.status).toBe('Break');
    expect(sut.setStatus(U.wrapUp, change).kind).toBe('wrapUpActive');
    expect(sut.setStatus(U.wrapUp, { ...change, respectWrapUp: false }).kind).toBe('ok');
    sut.reset();
    expect(sut.get(U.agent)?.status).toBe('Available');
  });
});

describe('parseStatusChange', () => {
  it.each([
    [{ status: 'Sleeping', directiveFlags: flags }, /status must be one of/],
    [{ status: 'Break', pauseReason: null, directiveFlags: flags }, /requires a valid pauseReason/],
    [{ status: 'Busy', pauseReason: 'Bored', directiveFlags: flags }, /Invalid pause reason/],
    [{ status: 'Busy', wrapUpCode: 5, directiveFlags: flags }, /wrapUpCode/],
    [{ status: 'Busy' }, /directiveFlags/],
    [
      { status: 'Busy', directiveFlags: { autoAvailable: 'yes', respectWrapUp: true } },
      /directiveFlags/,
    ],
    [[], /JSON object/],
  ])('rejects %j', (body, message) => {
    expect(parseStatusChange(body)).toMatch(message);
  });

  it('accepts the seed-004 payload', () => {
    const body = {
      status: 'Break',
      pauseReason: 'Queue Full',
      wrapUpCode: null,
      directiveFlags: flags,
    };
    expect(parseStatusChange(body)).toEqual({
      status: 'Break',
      pauseReason: 'Queue Full',
      wrapUpCode: null,
      respectWrapUp: true,
    });
  });
});
