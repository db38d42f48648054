import { CxoneRecord } from './record';

/** A state-history row as the spec declares it (SDK-documented ISO duration). */
const TYPED_ROW = {
  stateIndex: 2,
  startDate: '2024-05-01T13:12:07.400Z',
  agentId: 1234567,
  agentStateId: 2,
  agentStateName: 'Unavailable',
  contactId: 0,
  skillName: '',
  outStateId: 17,
  outStateDescription: 'Break',
  duration: 'PT15M0S',
  isOutbound: false,
  teamId: 2472302,
};

/** The same row in the v21 string style, PascalCase keys and the SDK's `teamNo`. */
const STRING_ROW = {
  StateIndex: '2',
  StartDate: '2024-05-01T13:12:07.400Z',
  AgentId: '1234567',
  AgentStateId: '2',
  AgentStateName: 'Unavailable',
  ContactId: '0',
  SkillName: '',
  OutStateId: '17',
  OutStateDescription: 'Break',
  Duration: '900',
  IsOutbound: 'False',
  teamNo: '2472302',
};

function read(raw: unknown) {
  const row = CxoneRecord.of(raw, 'agentStateHistory[0]');
  return {
    index: row.number('stateIndex'),
    at: row.requiredInstantMs('startDate'),
    agentId: row.requiredId('agentId'),
    state: row.requiredText('agentStateName'),
    contactId: row.id('contactId'),
    skillName: row.text('skillName'),
    reason: row.text('outStateDescription'),
    seconds: row.seconds('duration'),
    outbound: row.boolean('isOutbound'),
    teamId: row.id(['teamId', 'teamNo']),
  };
}

describe('CxoneRecord', () => {
  it('reads the typed and the string-style row to the same values', () => {
    const expected = {
      index: 2,
      at: Date.UTC(2024, 4, 1, 13, 12, 7, 400),
      agentId: '1234567',
      state: 'Unavailable',
      contactId: null,
      skillName: null,
      reason: 'Break',
      seconds: 900,
      outbound: false,
      teamId: '2472302',
    };
    expect(read(TYPED_ROW)).toEqual(expected);
    expect(read(STRING_ROW)).toEqual(expected);
  });

  it('names the path of a missing required field', () => {
    const { startDate: _, ...noStart } = TYPED_ROW;
    expect(() => read(noStart)).toThrow('agentStateHistory[0].startDate is required');
    expect(() => read({ ...TYPED_ROW, agentStateName: '' })).toThrow(
      'agentStateHistory[0].agentStateName is required',
    );
    expect(() => read(['row'])).toThrow('agentStateHistory[0] must be an object');
  });

  it('names the path of a malformed value', () => {
    expect(() => read({ ...TYPED_ROW, duration: 'a while' })).toThrow(
      'agentStateHistory[0].duration must be a duration',
    );
    expect(() => read({ ...TYPED_ROW, isOutbound: 'maybe' })).toThrow(
      'agentStateHistory[0].isOutbound must be a boolean',
    );
  });
});
