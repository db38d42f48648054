import { preferredFormat } from './accept';
import { resolveFormat } from './resolve-format';

describe('preferredFormat (Accept q-values)', () => {
  it.each([
    // The attack: CSV refused outright, JSON acceptable.
    ['text/csv;q=0, application/json', 'json'],
    ['text/csv; q=0.0, application/x-ndjson', 'ndjson'],
    ['text/csv;q=0.2, application/json;q=0.9', 'json'],
    ['application/json;q=0.5, text/csv', 'csv'],
    ['application/x-ndjson;q=0.4, text/csv;q=0.3', 'ndjson'],
    // Named formats of equal quality: tabular first, as before q-values were read.
    ['text/csv, application/json', 'csv'],
    ['TEXT/CSV', 'csv'],
    ['text/csv; charset=utf-8', 'csv'],
    // Wildcards alone ask for nothing in particular.
    ['*/*', 'json'],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'json'],
    ['application/*', 'json'],
    ['text/*', 'csv'],
    ['text/*, application/json;q=0.5', 'csv'],
    // The most specific range decides a format's quality.
    ['text/*;q=1, text/csv;q=0, application/json;q=0.1', 'json'],
    // Everything refused or unreadable: JSON, as HTTP allows.
    ['text/csv;q=0', 'json'],
    ['text/csv;q=abc', 'json'],
    ['text/csv;q=1.5', 'json'],
    ['image/png', 'json'],
    ['', 'json'],
  ])('%j → %s', (accept, expected) => {
    expect(preferredFormat(accept)).toBe(expected);
  });

  it('is what resolveFormat uses when ?format is absent (one place for every route)', () => {
    expect(resolveFormat(undefined, 'text/csv;q=0, application/json')).toBe('json');
    expect(resolveFormat('csv', 'text/csv;q=0, application/json')).toBe('csv');
  });

  it('reads a bounded number of ranges from a huge header', () => {
    const header = `${'x/y, '.repeat(10_000)}text/csv`;
    expect(preferredFormat(header)).toBe('json');
  });
});
