import { hostile, maybeHostile, unhostile } from './hostile-text';

describe('hostile text', () => {
  it('carries a formula, a comma, quotes, a backslash and a newline', () => {
    const sut = hostile('Billing');
    expect(sut).toBe('=Billing, "Billing"\\\nBilling');
    for (const part of ['=', ',', '"', '\\', '\n']) expect(sut).toContain(part);
    expect(sut.startsWith('=')).toBe(true);
  });

  it('is one-to-one and reversible, and off by default', () => {
    for (const text of ['Available', 'IT Issue', 'Sales, Inc.', 'a"b'])
      expect(unhostile(hostile(text))).toBe(text);
    expect(unhostile('Available')).toBe('Available');
    expect(maybeHostile(false, 'Break')).toBe('Break');
    expect(maybeHostile(true, '')).toBe('');
  });
});
