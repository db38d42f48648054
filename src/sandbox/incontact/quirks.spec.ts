import { checkQuirk, DEFAULT_INCONTACT_QUIRKS, mergeQuirks, wireStyle } from './quirks';

describe('wireStyle: the encoding follows the path version unless pinned', () => {
  it('answers v21.0 and older with strings and "True"/"False", newer versions typed', () => {
    expect(wireStyle(DEFAULT_INCONTACT_QUIRKS, 21)).toEqual({
      values: 'strings',
      booleans: 'python',
      totalRecordsAsString: true,
    });
    expect(wireStyle(DEFAULT_INCONTACT_QUIRKS, 8).values).toBe('strings');
    expect(wireStyle(DEFAULT_INCONTACT_QUIRKS, 22)).toEqual({
      values: 'typed',
      booleans: 'json',
      totalRecordsAsString: false,
    });
  });

  it('lets every part be pinned independently of the version', () => {
    const pinned = {
      ...DEFAULT_INCONTACT_QUIRKS,
      valueStyle: 'strings',
      booleans: 'json',
    } as const;
    expect(wireStyle(pinned, 34)).toEqual({
      values: 'strings',
      booleans: 'json',
      totalRecordsAsString: true,
    });
    const typed = { ...DEFAULT_INCONTACT_QUIRKS, valueStyle: 'typed' } as const;
    expect(wireStyle(typed, 12).values).toBe('typed');
  });
});

describe('quirk values', () => {
  it('reads env text for numbers and flags, JSON values from the control API', () => {
    expect(checkQuirk('pageCap', '25', true)).toEqual({ ok: true, value: 25 });
    expect(checkQuirk('pageCap', '25', false).ok).toBe(false);
    expect(checkQuirk('retryAfterOn429', 'true', true)).toEqual({ ok: true, value: true });
    expect(checkQuirk('retryAfterOn429', 'true', false).ok).toBe(false);
    expect(checkQuirk('emptyAs', '204', false)).toEqual({ ok: true, value: '204' });
  });

  it('merges a partial and names every bad or unknown field', () => {
    const merged = mergeQuirks(DEFAULT_INCONTACT_QUIRKS, { wrapper: 'resultSet', pageCap: 10 });
    expect(merged).toEqual({
      ok: true,
      quirks: { ...DEFAULT_INCONTACT_QUIRKS, wrapper: 'resultSet', pageCap: 10 },
    });
    const bad = mergeQuirks(DEFAULT_INCONTACT_QUIRKS, { wrapper: 'envelope', colour: 'red' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.message).toContain('wrapper: "envelope" is not one of none, resultSet, resultset');
      expect(bad.message).toContain('unknown quirk "colour"');
    }
    expect(mergeQuirks(DEFAULT_INCONTACT_QUIRKS, [1]).ok).toBe(false);
  });
});
