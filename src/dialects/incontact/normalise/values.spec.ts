import { isAbsent, toBoolean, toIdText, toNumber, toText } from './values';

/** A v21.0 `skillSummaries[]` row as captured by a production client: every value a string. */
const V21_SKILL_SUMMARY = {
  businessUnitId: '459957',
  abandonRate: '0',
  contactsOffered: '1036',
  isOutbound: 'False',
  serviceLevel: '100',
  serviceLevelThreshold: '28800',
  connectsAHT: '0.19',
  rightPartyConnectsAHT: '0.00',
};

describe('toNumber', () => {
  it('reads the v21 strings and the typed spec numbers alike', () => {
    expect(toNumber(V21_SKILL_SUMMARY.businessUnitId, 'b')).toBe(459957);
    expect(toNumber(V21_SKILL_SUMMARY.connectsAHT, 'c')).toBe(0.19);
    expect(toNumber(V21_SKILL_SUMMARY.rightPartyConnectsAHT, 'r')).toBe(0);
    expect(toNumber('20.37', 'p')).toBe(20.37);
    expect(toNumber('-3', 'n')).toBe(-3);
    expect(toNumber(97, 'serviceLevel')).toBe(97);
    expect(toNumber(99.81, 'serviceLevel')).toBe(99.81);
  });

  it('reads absent, null and "" as no value', () => {
    expect(toNumber(undefined, 'x')).toBeNull();
    expect(toNumber(null, 'x')).toBeNull();
    expect(toNumber('', 'x')).toBeNull();
    expect(toNumber('  ', 'x')).toBeNull();
  });

  it.each([['lots'], ['1e3'], ['0x10'], ['1,5'], [true], [{}], [Number.NaN], [Infinity]])(
    'rejects %p naming the field',
    (value) => {
      expect(() => toNumber(value, 'skillActivity[0].queueCount')).toThrow(
        'skillActivity[0].queueCount must be a number',
      );
    },
  );
});

describe('toBoolean', () => {
  it('reads "True"/"False" (v21 captures), any case, and JSON booleans', () => {
    expect(toBoolean(V21_SKILL_SUMMARY.isOutbound, 'isOutbound')).toBe(false);
    expect(toBoolean('True', 'isOutbound')).toBe(true);
    expect(toBoolean('true', 'x')).toBe(true);
    expect(toBoolean('FALSE', 'x')).toBe(false);
    expect(toBoolean(true, 'x')).toBe(true);
    expect(toBoolean(false, 'x')).toBe(false);
    expect(toBoolean('', 'x')).toBeNull();
    expect(toBoolean(null, 'x')).toBeNull();
  });

  it.each([['yes'], ['1'], [1], [0]])('rejects %p', (value) => {
    expect(() => toBoolean(value, 'isActive')).toThrow('isActive must be a boolean');
  });
});

describe('toText and toIdText', () => {
  it('reads ids typed or as text, 0 meaning none', () => {
    expect(toIdText(8408918, 'skillId')).toBe('8408918');
    expect(toIdText('8408918', 'skillId')).toBe('8408918');
    expect(toIdText(0, 'contactId')).toBeNull();
    expect(toIdText('', 'contactId')).toBeNull();
    expect(() => toIdText('12.5', 'agentId')).toThrow('agentId must be a positive integer id');
    expect(() => toIdText(-4, 'agentId')).toThrow('agentId');
  });

  it('reads text, numbers as their decimal text', () => {
    expect(toText('Phone Call', 'mediaTypeName')).toBe('Phone Call');
    expect(toText(17, 'outStateDescription')).toBe('17');
    expect(toText('', 'skillName')).toBeNull();
    expect(() => toText({}, 'skillName')).toThrow('skillName must be a string');
  });

  it('treats undefined, null and blank strings as absent', () => {
    expect([undefined, null, '', ' '].every(isAbsent)).toBe(true);
    expect([0, false, 'x'].some(isAbsent)).toBe(false);
  });
});
