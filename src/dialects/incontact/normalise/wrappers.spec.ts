import { envelopeField, nextLink, payloadList, totalRecords } from './wrappers';

const ROW = { skillId: 8408918, skillName: 'Concierge Inbound' };

describe('payloadList', () => {
  it('finds the array top-level (the spec) or under resultSet in any casing', () => {
    expect(payloadList({ skillActivity: [ROW] }, 'skillActivity')).toEqual([ROW]);
    expect(payloadList({ resultSet: { skillActivity: [ROW] } }, 'skillActivity')).toEqual([ROW]);
    expect(payloadList({ resultset: { queues: [ROW] } }, 'queues')).toEqual([ROW]);
    expect(payloadList({ ResultSet: { SkillActivity: [ROW] } }, 'skillActivity')).toEqual([ROW]);
  });

  it('reads a 204 (no body), an empty body and a missing array as no rows', () => {
    expect(payloadList(undefined, 'agentStateHistory')).toEqual([]);
    expect(payloadList('', 'agentStateHistory')).toEqual([]);
    expect(payloadList({ totalRecords: 0 }, 'agentStateHistory')).toEqual([]);
    expect(payloadList({ agentStateHistory: null }, 'agentStateHistory')).toEqual([]);
  });

  it('rejects a body or payload of the wrong kind', () => {
    expect(() => payloadList('No known way to render data', 'skillActivity')).toThrow(
      'body must be a JSON object',
    );
    expect(() => payloadList({ skillActivity: {} }, 'skillActivity')).toThrow(
      'skillActivity must be an array',
    );
  });
});

describe('totalRecords', () => {
  it('reads a number or a numeric string, top-level or under resultSet', () => {
    expect(totalRecords({ totalRecords: 2 })).toBe(2);
    expect(totalRecords({ totalRecords: '1036' })).toBe(1036);
    expect(totalRecords({ resultSet: { totalRecords: '7' } })).toBe(7);
    expect(totalRecords({ TotalRecords: '3' })).toBe(3);
    expect(totalRecords({})).toBeNull();
    expect(totalRecords(undefined)).toBeNull();
  });

  it.each([[{ totalRecords: 'many' }], [{ totalRecords: -1 }], [{ totalRecords: '2.5' }]])(
    'rejects %j',
    (body) => {
      expect(() => totalRecords(body)).toThrow('totalRecords');
    },
  );
});

describe('nextLink and envelopeField', () => {
  const self =
    'https://api-na1.niceincontact.com/inContactAPI/services/v30.0/agents/state-history?top=1000&skip=0';

  it('follows _links.next; null, "" and absent all end the paging', () => {
    expect(nextLink({ _links: { self, next: `${self}&page=2` } })).toBe(`${self}&page=2`);
    expect(nextLink({ _links: { self, next: null, previous: null } })).toBeUndefined();
    expect(nextLink({ _links: { self, next: '' } })).toBeUndefined();
    expect(nextLink({ _links: { self } })).toBeUndefined();
    expect(nextLink({})).toBeUndefined();
  });

  it('reads lastPollTime wherever the envelope puts it', () => {
    expect(envelopeField({ lastPollTime: '2024-05-01T14:05:00.250Z' }, 'lastPollTime')).toBe(
      '2024-05-01T14:05:00.250Z',
    );
    expect(envelopeField({ resultSet: { LastPollTime: 'x' } }, 'lastPollTime')).toBe('x');
  });
});
