import { badIdError, matchesIdFormat } from './id-format';

describe('id formats', () => {
  it('tells UUIDs and positive integers apart', () => {
    expect(matchesIdFormat('uuid', 'a0000000-0000-4000-8000-000000000001')).toBe(true);
    expect(matchesIdFormat('uuid', '1000001')).toBe(false);
    expect(matchesIdFormat('positive-integer', '1000001')).toBe(true);
    for (const bad of ['0', '-1', '01', '1.5', '1e3', 'abc', '', '1234567890123456']) {
      expect(matchesIdFormat('positive-integer', bad)).toBe(false);
    }
  });

  it('names the field in a 400', () => {
    expect(badIdError('uuid', 'agentId')).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'agentId', message: 'agentId must be a UUID' }],
    });
    expect(badIdError('positive-integer', 'queueIds', true).errors).toEqual([
      {
        field: 'queueIds',
        message: 'queueIds must be a comma-separated list of positive integers',
      },
    ]);
  });
});
