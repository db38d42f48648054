import { CompactKeySet } from '../common/collections/compact-key-set';
import { RecordFilter, validateRecord } from './record-validator';

const valid = {
  id: 'e1',
  type: 'bot',
  dateFrom: '2024-01-01T00:00:00.000Z',
  dateTo: '2024-01-01T00:01:00.000Z',
  botId: 'b1',
  agentId: 'a1',
  duration: 60,
  intent: 'x',
};

describe('validateRecord', () => {
  it('accepts a record with every required field, keeping extra fields', () => {
    expect(validateRecord(valid)).toBe(valid);
    expect(validateRecord({ ...valid, duration: 0 })).toBeDefined();
  });

  it.each(['id', 'type', 'dateFrom', 'dateTo', 'botId', 'agentId', 'duration'])(
    'rejects a record missing %s',
    (field) => {
      const record: Record<string, unknown> = { ...valid };
      delete record[field];
      expect(validateRecord(record)).toBeUndefined();
    },
  );

  it.each([
    ['duration as a string', { duration: '60' }],
    ['negative duration', { duration: -1 }],
    ['dateFrom as epoch ms', { dateFrom: 1_700_000_000_000 }],
    ['an empty id', { id: '' }],
    ['a numeric id', { id: 7 }],
    ['a null botId', { botId: null }],
  ])('rejects %s', (_name, patch) => {
    expect(validateRecord({ ...valid, ...patch })).toBeUndefined();
  });

  it.each([[null], [42], ['text'], [[valid]]])('rejects a non-object element %p', (value) => {
    expect(validateRecord(value)).toBeUndefined();
  });
});

describe('RecordFilter (the validate-then-dedupe step every export path shares)', () => {
  const rec = (id: string) => ({ ...valid, id });

  it('counts every element once and lets each valid id through once, committed ids never', () => {
    const sut = new RecordFilter(CompactKeySet.of(['old']));
    const passed = [
      rec('a'),
      rec('old'),
      { ...rec('b'), duration: '1' },
      rec('a'),
      'x',
      rec('c'),
    ].map((v) => sut.accept(v)?.id ?? null);
    expect(passed).toEqual(['a', null, null, null, null, 'c']);
    expect(sut.counts).toEqual({ received: 6, valid: 2, duplicates: 2, schemaErrors: 2 });
    expect(new Set(sut.ids)).toEqual(new Set(['a', 'c']));
  });

  it('validates before deduping: an invalid copy does not claim the id', () => {
    const sut = new RecordFilter();
    expect(sut.accept({ ...rec('a'), botId: null })).toBeUndefined();
    expect(sut.accept(rec('a'))?.id).toBe('a');
    expect(sut.counts).toEqual({ received: 2, valid: 1, duplicates: 0, schemaErrors: 1 });
  });
});
