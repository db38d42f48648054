import { isoDurationMs, toSeconds } from './durations';

describe('toSeconds', () => {
  // Inputs captured from a production client (v21.0 team performance); seconds exact to the ms.
  it.each([
    ['PT0S', 0],
    ['PT4M24.63S', 264.63],
    ['PT7M15.643S', 435.643],
    ['PT5H48M1.139S', 20881.139],
    ['PT21H48M43.174S', 78523.174],
    ['P1DT19H18M29.651S', 155909.651],
    ['PT12M5.4S', 725.4],
    ['PT15M0S', 900],
  ])('reads the ISO-8601 duration %s as %d s', (text, seconds) => {
    expect(toSeconds(text, 'duration')).toBe(seconds);
  });

  it('reads integer-second strings (skill summary at v21) and plain numbers', () => {
    expect(toSeconds('101', 'averageHandleTime')).toBe(101);
    expect(toSeconds('1944', 'averageInqueueTime')).toBe(1944);
    expect(toSeconds('0', 'longestQueueDur')).toBe(0);
    expect(toSeconds(725.4, 'duration')).toBe(725.4);
    expect(toSeconds(30, 'serviceLevelThreshold')).toBe(30);
  });

  it('reads absent and empty as no value', () => {
    expect(toSeconds(undefined, 'd')).toBeNull();
    expect(toSeconds(null, 'd')).toBeNull();
    expect(toSeconds('', 'd')).toBeNull();
  });

  it.each([
    ['P1Y'],
    ['P2M'],
    ['P1W'],
    ['PT'],
    ['P'],
    ['PT5H48M'.concat('X')],
    ['-5'],
    [-5],
    ['soon'],
  ])('rejects %p naming the field', (value) => {
    expect(() => toSeconds(value, 'agentStateHistory[0].duration')).toThrow(
      'agentStateHistory[0].duration must be a duration',
    );
  });

  it('accepts lower-case designators and a fractional day', () => {
    expect(isoDurationMs('pt1m')).toBe(60_000);
    expect(isoDurationMs('P0.5D')).toBe(43_200_000);
  });
});
