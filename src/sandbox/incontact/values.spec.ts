import {
  durationSeconds,
  encodeBoolean,
  encodeRecord,
  fieldsParam,
  isoDuration,
  numberText,
  pascalKeys,
  projectFields,
  secondsText,
} from './values';

describe('isoDuration (the encodings CXone sends)', () => {
  it.each([
    [0, 'PT0S'],
    [264_630, 'PT4M24.63S'],
    [435_643, 'PT7M15.643S'],
    [20_881_139, 'PT5H48M1.139S'],
    [78_523_174, 'PT21H48M43.174S'],
    [155_909_651, 'P1DT19H18M29.651S'],
    [12 * 60_000 + 5_400, 'PT12M5.4S'],
    [15 * 60_000, 'PT15M'],
    [86_400_000, 'P1D'],
  ])('%i ms → %s', (ms, iso) => {
    expect(isoDuration(ms)).toBe(iso);
  });

  it('rounds to whole milliseconds and never goes negative', () => {
    expect(isoDuration(1000.4)).toBe('PT1S');
    expect(isoDuration(-5)).toBe('PT0S');
  });
});

describe('durationSeconds (how the sandbox reads its own rows back)', () => {
  it.each([
    ['PT0S', 0],
    ['PT4M24.63S', 264.63],
    ['P1DT19H18M29.651S', 155909.651],
    ['101', 101],
    [12.5, 12.5],
  ] as const)('%s → %d s', (value, seconds) => {
    expect(durationSeconds(value)).toBeCloseTo(seconds, 6);
  });

  it('round-trips every encoding the sandbox serves', () => {
    for (const ms of [0, 1, 999, 61_001, 86_400_000, 155_909_651])
      expect(durationSeconds(isoDuration(ms))).toBeCloseTo(ms / 1000, 6);
  });

  it.each(['P1Y', 'PT', '5 minutes'])('refuses %s', (value) => {
    expect(() => durationSeconds(value)).toThrow('not a duration');
  });
});

describe('v21-style values', () => {
  it('writes numbers as plain decimal text', () => {
    expect(numberText(459957)).toBe('459957');
    expect(numberText(20.37)).toBe('20.37');
    expect(numberText(0.1 + 0.2)).toBe('0.3');
    expect(secondsText(101_400)).toBe('101');
  });

  it('writes booleans in each style', () => {
    expect([true, false].map((b) => encodeBoolean(b, 'python'))).toEqual(['True', 'False']);
    expect([true, false].map((b) => encodeBoolean(b, 'lowercase'))).toEqual(['true', 'false']);
    expect(encodeBoolean(true, 'json')).toBe(true);
  });

  it('encodes numbers and booleans of a record, leaving strings and nulls alone', () => {
    const record = { skillId: 8408918, isOutbound: true, skillName: 'Concierge', note: null };
    expect(encodeRecord(record, 'strings', 'python')).toEqual({
      skillId: '8408918',
      isOutbound: 'True',
      skillName: 'Concierge',
      note: null,
    });
    expect(encodeRecord(record, 'typed', 'json')).toEqual(record);
  });
});

describe('keys and projections', () => {
  it('PascalCases every key, nested ones included, but not values', () => {
    expect(
      pascalKeys({ skillId: 1, _links: { next: 'x' }, items: [{ contactsWithinSLA: 2 }] }),
    ).toEqual({ SkillId: 1, _links: { Next: 'x' }, Items: [{ ContactsWithinSLA: 2 }] });
  });

  it('projects `fields=` case-insensitively; an empty list means every field', () => {
    const record = { agentId: 1, startDate: 'd', duration: 'PT1S' };
    expect(projectFields(record, ['AGENTID', 'duration'])).toEqual({
      agentId: 1,
      duration: 'PT1S',
    });
    expect(fieldsParam(new URLSearchParams('fields=&updatedSince=x'))).toBeUndefined();
    expect(fieldsParam(new URLSearchParams('fields=a, b,'))).toEqual(['a', 'b']);
    expect(projectFields(record, undefined)).toBe(record);
  });
});
