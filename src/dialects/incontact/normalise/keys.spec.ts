import { field, hasField } from './keys';

describe('field (case-insensitive keys)', () => {
  it('finds the spec PascalCase and the wire camelCase of sla-summary alike', () => {
    const spec = { SkillId: 10477448, ContactsWithinSLA: 1033, ServiceLevel: 99.81 };
    const wire = { skillId: '10477448', contactsWithinSLA: '1033', serviceLevel: '99.81' };
    expect(field(spec, 'skillId')).toBe(10477448);
    expect(field(wire, 'SkillId')).toBe('10477448');
    expect(field(spec, 'contactsWithinSla')).toBe(1033);
  });

  it('reads the known spelling pairs and aliases', () => {
    expect(field({ agentsACW: 1 }, 'agentsAcw')).toBe(1);
    expect(field({ isAcw: true }, 'isACW')).toBe(true);
    expect(field({ outstateId: 17 }, 'outStateId')).toBe(17);
    expect(field({ teamNo: 2472302 }, 'teamId', 'teamNo')).toBe(2472302);
    expect(field({ teamId: 1, teamNo: 2 }, 'teamId', 'teamNo')).toBe(1);
  });

  it('prefers an exact match and says when nothing matches', () => {
    expect(field({ skillid: 'lower', skillId: 'exact' }, 'skillId')).toBe('exact');
    expect(field({ other: 1 }, 'skillId')).toBeUndefined();
    expect(hasField({ SkillName: '' }, 'skillName')).toBe(true);
    expect(hasField({}, 'skillName')).toBe(false);
  });

  it('never reads inherited properties', () => {
    expect(field({}, 'constructor', 'toString')).toBeUndefined();
  });
});
