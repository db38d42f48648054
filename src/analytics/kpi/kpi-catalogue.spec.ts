import { findKpi, KPI_CATALOGUE, KPI_NAMES, MetricValues, safeDivide } from './kpi-catalogue';

function compute(name: string, m: MetricValues): number | null {
  const kpi = findKpi(name);
  if (!kpi) throw new Error(`no KPI ${name}`);
  return kpi.compute(m);
}

const full: MetricValues = {
  handle_time: 300,
  talk_time: 210,
  hold_time: 30,
  queue_time: 60,
  wrap_time: 45,
  abandon_rate: 8,
  service_level: 80,
  first_contact_resolution: 72.5,
  contacts_offered: 200,
  contacts_handled: 180,
  contacts_within_sla: 150,
  contacts_out_of_sla: 25,
  average_speed_of_answer: 20,
  login_time: 28_800,
  available_time: 7_200,
  unavailable_time: 3_600,
  occupancy: 62.5,
  working_rate: 87.5,
};

describe('KPI catalogue', () => {
  it('has unique names, a formula, inputs, unit and description for every KPI', () => {
    expect(new Set(KPI_NAMES).size).toBe(KPI_CATALOGUE.length);
    for (const kpi of KPI_CATALOGUE) {
      expect(kpi.formula.length).toBeGreaterThan(0);
      expect(kpi.requires.length).toBeGreaterThan(0);
      expect(['seconds', 'ratio']).toContain(kpi.unit);
      expect(kpi.description.length).toBeGreaterThan(10);
    }
  });

  it.each([
    ['total_interaction_time', 360],
    ['talk_ratio', 0.7],
    ['hold_impact_score', 30 / 360],
    ['channel_efficiency', 0.8 * (1 - 0.08)],
    ['acw_ratio', 0.15],
    ['hold_ratio', 0.1],
    ['talk_share_of_interaction', 210 / 360],
    ['queue_share_of_interaction', 60 / 360],
    ['non_talk_handle_time', 90],
    ['fcr_rate', 0.725],
    ['abandon_ratio', 0.08],
    ['answer_ratio', 0.92],
    ['service_level_ratio', 0.8],
    ['handled_ratio', 0.9],
    ['within_sla_share_of_handled', 150 / 180],
    ['out_of_sla_ratio', 25 / 175],
    ['total_handle_time', 54_000],
    ['speed_of_answer_share_of_interaction', 20 / 320],
    ['available_ratio', 0.25],
    ['unavailable_ratio', 0.125],
    ['occupancy_ratio', 0.625],
    ['working_ratio', 0.875],
  ])('%s computes its formula', (name, expected) => {
    expect(compute(name, full)).toBeCloseTo(expected, 12);
  });

  it('covers every KPI in the catalogue with a formula test above', () => {
    expect(KPI_NAMES).toHaveLength(22);
  });

  it.each([
    ['talk_ratio', { talk_time: 10, handle_time: 0 }],
    ['acw_ratio', { wrap_time: 10, handle_time: 0 }],
    ['hold_ratio', { hold_time: 10, handle_time: 0 }],
    ['hold_impact_score', { hold_time: 5, handle_time: 0, queue_time: 0 }],
    ['talk_share_of_interaction', { talk_time: 5, handle_time: 0, queue_time: 0 }],
    ['queue_share_of_interaction', { handle_time: 0, queue_time: 0 }],
    ['handled_ratio', { contacts_handled: 0, contacts_offered: 0 }],
    ['within_sla_share_of_handled', { contacts_within_sla: 0, contacts_handled: 0 }],
    ['out_of_sla_ratio', { contacts_out_of_sla: 0, contacts_within_sla: 0 }],
    ['available_ratio', { available_time: 10, login_time: 0 }],
    ['unavailable_ratio', { unavailable_time: 10, login_time: 0 }],
  ])('%s is null (not NaN, not Infinity, not divided by 1) for a zero denominator', (name, m) => {
    expect(compute(name, m)).toBeNull();
  });

  it('keeps zero numerators as 0 and zero-valued inputs as real values', () => {
    expect(compute('talk_ratio', { talk_time: 0, handle_time: 100 })).toBe(0);
    expect(compute('total_interaction_time', { handle_time: 0, queue_time: 0 })).toBe(0);
    expect(compute('channel_efficiency', { service_level: 0, abandon_rate: 0 })).toBe(0);
    expect(compute('channel_efficiency', { service_level: 100, abandon_rate: 100 })).toBe(0);
    expect(compute('fcr_rate', { first_contact_resolution: 0 })).toBe(0);
    expect(compute('answer_ratio', { abandon_rate: 0 })).toBe(1);
  });

  it.each(KPI_CATALOGUE.map((k) => [k.name, k.requires] as const))(
    '%s is null when any of its inputs is missing or null',
    (name, requires) => {
      for (const missing of requires) {
        const withNull = { ...full, [missing]: null };
        const without: Record<string, number | null> = { ...full };
        delete without[missing];
        expect(compute(name, withNull)).toBeNull();
        expect(compute(name, without)).toBeNull();
      }
    },
  );

  it('never returns NaN or Infinity, whatever the inputs', () => {
    const awkward = [0, -0, 1e308, -1e308, 5e-324, 100];
    for (const kpi of KPI_CATALOGUE) {
      for (const a of awkward) {
        for (const b of awkward) {
          const m = Object.fromEntries(kpi.requires.map((r, i) => [r, i % 2 ? a : b]));
          const v = kpi.compute(m);
          expect(v === null || Number.isFinite(v)).toBe(true);
        }
      }
    }
  });

  it('safeDivide: null for 0, missing or overflow', () => {
    expect(safeDivide(1, 4)).toBe(0.25);
    expect(safeDivide(1, 0)).toBeNull();
    expect(safeDivide(null, 2)).toBeNull();
    expect(safeDivide(2, null)).toBeNull();
    expect(safeDivide(1e308, 1e-308)).toBeNull();
  });
});
