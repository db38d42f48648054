import { toCxoneDate, toInstantMs } from './dates';

describe('toCxoneDate', () => {
  it('sends UTC with milliseconds and a literal Z (no +00:00 to be mangled in a query)', () => {
    expect(toCxoneDate(0)).toBe('1970-01-01T00:00:00.000Z');
    expect(toCxoneDate(Date.UTC(2024, 4, 1, 13, 0, 2))).toBe('2024-05-01T13:00:02.000Z');
  });
});

describe('toInstantMs', () => {
  const at = Date.UTC(2024, 4, 1, 13, 12, 7, 400);

  it('reads received timestamps with Z, an offset, or no zone (UTC)', () => {
    expect(toInstantMs('2024-05-01T13:12:07.400Z', 'startDate')).toBe(at);
    expect(toInstantMs('2024-05-01T15:12:07.400+02:00', 'startDate')).toBe(at);
    expect(toInstantMs('2024-05-01T13:12:07.400', 'startDate')).toBe(at);
    expect(toInstantMs('2024-05-01T13:12:07.4001234Z', 'startDate')).toBe(at);
    expect(toInstantMs('2024-05-01', 'updatedSince')).toBe(Date.UTC(2024, 4, 1));
  });

  it('reads absent and empty as no value (an empty queue has no earliestQueueTime)', () => {
    expect(toInstantMs(undefined, 'earliestQueueTime')).toBeNull();
    expect(toInstantMs('', 'earliestQueueTime')).toBeNull();
  });

  it.each([['yesterday'], [1714568402000], ['2024-13-45T99:00:00Z']])('rejects %p', (value) => {
    expect(() => toInstantMs(value, 'startDate')).toThrow(
      'startDate must be an ISO 8601 timestamp',
    );
  });
});
