import {
  inputsOf,
  PERFORMANCE_RULES,
  rollUp,
  rollUpFacts,
  SKILL_RULES,
  type Fact,
  type Parts,
} from './rollup';

/** Two skills of one channel, as /skills/summary gives them over one window. */
const phoneSales: Parts = {
  contactsOffered: 100,
  contactsHandled: 90,
  abandonCount: 10,
  contactsWithinSLA: 72,
  contactsOutOfSLA: 18,
  averageHandleTime: 300,
  averageTalkTime: 240,
  averageInqueueTime: 20,
  averageWrapTime: 30,
  averageSpeedToAnswer: 15,
  holdTime: 1800,
  longestQueueDur: 120,
};
const phoneSupport: Parts = {
  contactsOffered: 50,
  contactsHandled: 30,
  abandonCount: 20,
  contactsWithinSLA: 10,
  contactsOutOfSLA: 20,
  averageHandleTime: 500,
  averageTalkTime: 400,
  averageInqueueTime: 80,
  averageWrapTime: 50,
  averageSpeedToAnswer: 75,
  holdTime: 2700,
  longestQueueDur: 600,
};
const both = [phoneSales, phoneSupport];

/** Two agents as /agents/performance gives them (durations already in seconds). */
const alice: Parts = {
  agentOffered: 40,
  totalHandled: 36,
  totalAvgHandleTime: 400,
  totalTalkTime: 10_800,
  acwTime: 1_800,
  occupancy: 80,
  workingRate: 90,
  loginTime: 28_800,
  availableTime: 3_600,
  unavailableTime: 1_800,
};
const bob: Parts = {
  agentOffered: 10,
  totalHandled: 4,
  totalAvgHandleTime: 600,
  totalTalkTime: 2_000,
  acwTime: 200,
  occupancy: 20,
  workingRate: 60,
  loginTime: 7_200,
  availableTime: 5_400,
  unavailableTime: 900,
};
const team = [alice, bob];

const metric = (rules: typeof SKILL_RULES, name: string, rows: Parts[]) =>
  rollUp(rows, rules[name]);

describe('roll-up rules (skill summaries)', () => {
  it('sums counts', () => {
    expect(metric(SKILL_RULES, 'contacts_offered', both)).toBe(150);
    expect(metric(SKILL_RULES, 'contacts_handled', both)).toBe(120);
    expect(metric(SKILL_RULES, 'abandon_count', both)).toBe(30);
    expect(metric(SKILL_RULES, 'contacts_within_sla', both)).toBe(82);
    expect(metric(SKILL_RULES, 'contacts_out_of_sla', both)).toBe(38);
  });

  it('weights averages by contacts handled, not by rows', () => {
    // (300 × 90 + 500 × 30) / 120 = 42 000 / 120; a plain mean of the rows would say 400.
    expect(metric(SKILL_RULES, 'handle_time', both)).toBe(350);
    // (240 × 90 + 400 × 30) / 120 = 33 600 / 120
    expect(metric(SKILL_RULES, 'talk_time', both)).toBe(280);
    // (20 × 90 + 80 × 30) / 120 = 4 200 / 120
    expect(metric(SKILL_RULES, 'queue_time', both)).toBe(35);
    // (30 × 90 + 50 × 30) / 120 = 4 200 / 120
    expect(metric(SKILL_RULES, 'wrap_time', both)).toBe(35);
    // (15 × 90 + 75 × 30) / 120 = 3 600 / 120
    expect(metric(SKILL_RULES, 'average_speed_of_answer', both)).toBe(30);
  });

  it('turns the window total holdTime into seconds per handled contact', () => {
    expect(metric(SKILL_RULES, 'hold_time', [phoneSales])).toBe(20); // 1 800 / 90
    expect(metric(SKILL_RULES, 'hold_time', both)).toBe(37.5); // 4 500 / 120, not (20 + 90) / 2
  });

  it('recomputes rates from summed parts, never averaging the rows’ rates', () => {
    // 30 / 150 × 100; the rows' own rates are 10 % and 40 %, whose mean (25 %) is wrong.
    expect(metric(SKILL_RULES, 'abandon_rate', both)).toBe(20);
    // 82 / (82 + 38) × 100 = 68.33…; the rows' 80 % and 33.3 % average to 56.7 %.
    expect(metric(SKILL_RULES, 'service_level', both)).toBe(68.3333);
  });

  it('takes the longest wait as the maximum', () => {
    expect(metric(SKILL_RULES, 'longest_wait', both)).toBe(600);
  });
});

describe('roll-up rules (agent performance and team totals)', () => {
  it('sums counts and times', () => {
    expect(metric(PERFORMANCE_RULES, 'contacts_offered', team)).toBe(50);
    expect(metric(PERFORMANCE_RULES, 'contacts_handled', team)).toBe(40);
    expect(metric(PERFORMANCE_RULES, 'login_time', team)).toBe(36_000);
    expect(metric(PERFORMANCE_RULES, 'available_time', team)).toBe(9_000);
    expect(metric(PERFORMANCE_RULES, 'unavailable_time', team)).toBe(2_700);
  });

  it('weights handle time by contacts handled; talk and wrap are totals per handled contact', () => {
    expect(metric(PERFORMANCE_RULES, 'handle_time', team)).toBe(420); // (400·36 + 600·4) / 40
    expect(metric(PERFORMANCE_RULES, 'talk_time', team)).toBe(320); // 12 800 / 40
    expect(metric(PERFORMANCE_RULES, 'wrap_time', team)).toBe(50); // 2 000 / 40
  });

  it('weights occupancy and working rate by login time', () => {
    // (80 × 28 800 + 20 × 7 200) / 36 000 = 68; the plain mean would be 50.
    expect(metric(PERFORMANCE_RULES, 'occupancy', team)).toBe(68);
    // (90 × 28 800 + 60 × 7 200) / 36 000 = 84
    expect(metric(PERFORMANCE_RULES, 'working_rate', team)).toBe(84);
  });
});

describe('roll-up edge cases', () => {
  it('is null when no row carries the inputs, or a denominator sums to 0', () => {
    expect(rollUp([], SKILL_RULES.contacts_offered)).toBeNull();
    expect(rollUp([{ contactsOffered: null }], SKILL_RULES.contacts_offered)).toBeNull();
    const idle: Parts = { ...phoneSales, contactsOffered: 0, contactsHandled: 0, abandonCount: 0 };
    expect(rollUp([idle], SKILL_RULES.handle_time)).toBeNull();
    expect(rollUp([idle], SKILL_RULES.abandon_rate)).toBeNull();
    expect(rollUp([idle], SKILL_RULES.hold_time)).toBeNull();
    expect(
      rollUp([{ ...idle, contactsWithinSLA: 0, contactsOutOfSLA: 0 }], SKILL_RULES.service_level),
    ).toBeNull();
    expect(rollUp([idle], SKILL_RULES.contacts_handled)).toBe(0);
  });

  it('leaves out a row that lacks an input of the rule, and only for that rule', () => {
    const noAverage: Parts = { ...phoneSupport, averageHandleTime: null };
    expect(rollUp([phoneSales, noAverage], SKILL_RULES.handle_time)).toBe(300);
    expect(rollUp([phoneSales, noAverage], SKILL_RULES.contacts_handled)).toBe(120);
  });

  it('rounds to four decimals', () => {
    expect(rollUp([{ a: 1, b: 3 }], { kind: 'total-per', total: 'a', per: 'b' })).toBe(0.3333);
  });

  it('names the inputs a set of metrics needs', () => {
    expect([...inputsOf(SKILL_RULES, ['service_level', 'hold_time'])].sort()).toEqual([
      'contactsHandled',
      'contactsOutOfSLA',
      'contactsWithinSLA',
      'holdTime',
    ]);
  });
});

describe('rollUpFacts', () => {
  const fact = (channel: string, skill: string, parts: Parts): Fact => ({
    dims: { channel, skill },
    parts,
  });
  const facts = [
    fact('Phone Call', 'Sales', phoneSales),
    fact('Phone Call', 'Support', phoneSupport),
    fact('Chat', 'Web', { ...phoneSales, contactsOffered: 200 }),
  ];

  it('gives one row per distinct value of the requested dimensions, rolled up', () => {
    const rows = rollUpFacts(facts, ['channel'], ['contacts_offered', 'abandon_rate'], SKILL_RULES);
    expect(rows).toEqual([
      { channel: 'Phone Call', contacts_offered: 150, abandon_rate: 20 },
      { channel: 'Chat', contacts_offered: 200, abandon_rate: 5 },
    ]);
  });

  it('without dimensions: one row over every fact', () => {
    expect(rollUpFacts(facts, [], ['contacts_offered'], SKILL_RULES)).toEqual([
      { contacts_offered: 350 },
    ]);
    expect(rollUpFacts([], [], ['contacts_offered'], SKILL_RULES)).toEqual([]);
  });

  it('keeps each fact apart when every dimension is asked', () => {
    const rows = rollUpFacts(facts, ['channel', 'skill'], ['handle_time'], SKILL_RULES);
    expect(rows.map((r) => r.handle_time)).toEqual([300, 500, 300]);
  });
});
