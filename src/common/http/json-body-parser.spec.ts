import { jsonDepthExceeds } from './json-body-parser';

describe('jsonDepthExceeds', () => {
  it('counts object and array nesting', () => {
    expect(jsonDepthExceeds('{"a":[1,{"b":[]}]}', 4)).toBe(false);
    expect(jsonDepthExceeds('{"a":[1,{"b":[]}]}', 3)).toBe(true);
    expect(jsonDepthExceeds('[]', 0)).toBe(true);
    expect(jsonDepthExceeds('1', 0)).toBe(false);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonDepthExceeds('{"a":"[[[[{{{{","b":"\\"[[[["}', 1)).toBe(false);
  });

  it('stops at the limit on pathological input', () => {
    expect(jsonDepthExceeds('['.repeat(100000), 32)).toBe(true);
    expect(jsonDepthExceeds('[1],'.repeat(1000), 1)).toBe(false);
  });
});
