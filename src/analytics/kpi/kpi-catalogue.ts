/**
 * The KPI catalogue: every derived metric the gateway computes, defined once with its formula
 * text, inputs, unit and a pure `compute`. The engine decides which apply to a query; nothing
 * else in the code knows a formula.
 */

/** Metric values of one row after coercion: a finite number, or null (missing / not a number). */
export type MetricValues = Readonly<Record<string, number | null>>;

export type KpiUnit = 'seconds' | 'ratio';

export interface KpiDefinition {
  name: string;
  /** Human-readable formula, as shown by GET /v1/analytics/kpis. */
  formula: string;
  /** Metrics that must be in the query for the KPI to be computed. */
  requires: readonly string[];
  /** Dimensions that must be in the query (e.g. channel_efficiency compares channels). */
  requiresDimensions?: readonly string[];
  unit: KpiUnit;
  description: string;
  /** Null when an input is null or a denominator is 0 — never NaN or Infinity. */
  compute: (m: MetricValues) => number | null;
}

/** Decimal places KPI values are rounded to: seconds to the hundredth, ratios to 4 places. */
export const KPI_DECIMALS: Readonly<Record<KpiUnit, number>> = { seconds: 2, ratio: 4 };

function get(m: MetricValues, name: string): number | null {
  const value = m[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** a / b, or null when either is missing or b is 0. */
export function safeDivide(a: number | null, b: number | null): number | null {
  if (a === null || b === null || b === 0) return null;
  const q = a / b;
  return Number.isFinite(q) ? q : null;
}

function sum(...values: (number | null)[]): number | null {
  let total = 0;
  for (const v of values) {
    if (v === null) return null;
    total += v;
  }
  return total;
}

/** A percentage (0–100) as a fraction (0–1). */
function fraction(value: number | null): number | null {
  return value === null ? null : value / 100;
}

const interactionTime = (m: MetricValues): number | null =>
  sum(get(m, 'handle_time'), get(m, 'queue_time'));

const DEFINITIONS: readonly KpiDefinition[] = [
  {
    name: 'total_interaction_time',
    formula: 'handle_time + queue_time',
    requires: ['handle_time', 'queue_time'],
    unit: 'seconds',
    description: 'Average time a contact spends from entering the queue to the end of handling',
    compute: interactionTime,
  },
  {
    name: 'talk_ratio',
    formula: 'talk_time / handle_time',
    requires: ['talk_time', 'handle_time'],
    unit: 'ratio',
    description: 'Share of handle time spent talking to the customer',
    compute: (m) => safeDivide(get(m, 'talk_time'), get(m, 'handle_time')),
  },
  {
    name: 'hold_impact_score',
    formula: 'hold_time / (handle_time + queue_time)',
    requires: ['hold_time', 'handle_time', 'queue_time'],
    unit: 'ratio',
    description: 'Share of the total interaction time the customer spends on hold',
    compute: (m) => safeDivide(get(m, 'hold_time'), interactionTime(m)),
  },
  {
    name: 'channel_efficiency',
    formula: 'service_level / 100 × (1 − abandon_rate / 100)',
    requires: ['service_level', 'abandon_rate'],
    requiresDimensions: ['channel'],
    unit: 'ratio',
    description:
      'Service level discounted by abandonment, comparable across channels (needs the channel dimension)',
    compute: (m) => {
      const sl = fraction(get(m, 'service_level'));
      const ab = fraction(get(m, 'abandon_rate'));
      return sl === null || ab === null ? null : sl * (1 - ab);
    },
  },
  {
    name: 'acw_ratio',
    formula: 'wrap_time / handle_time',
    requires: ['wrap_time', 'handle_time'],
    unit: 'ratio',
    description: 'After-contact work (wrap-up) relative to handle time',
    compute: (m) => safeDivide(get(m, 'wrap_time'), get(m, 'handle_time')),
  },
  {
    name: 'hold_ratio',
    formula: 'hold_time / handle_time',
    requires: ['hold_time', 'handle_time'],
    unit: 'ratio',
    description: 'Hold time relative to handle time',
    compute: (m) => safeDivide(get(m, 'hold_time'), get(m, 'handle_time')),
  },
  {
    name: 'talk_share_of_interaction',
    formula: 'talk_time / (handle_time + queue_time)',
    requires: ['talk_time', 'handle_time', 'queue_time'],
    unit: 'ratio',
    description: 'Share of the total interaction time spent talking',
    compute: (m) => safeDivide(get(m, 'talk_time'), interactionTime(m)),
  },
  {
    name: 'queue_share_of_interaction',
    formula: 'queue_time / (handle_time + queue_time)',
    requires: ['queue_time', 'handle_time'],
    unit: 'ratio',
    description: 'Share of the total interaction time spent waiting in queue',
    compute: (m) => safeDivide(get(m, 'queue_time'), interactionTime(m)),
  },
  {
    name: 'non_talk_handle_time',
    formula: 'handle_time − talk_time',
    requires: ['handle_time', 'talk_time'],
    unit: 'seconds',
    description: 'Handle time not spent talking (hold, wrap-up and other work)',
    compute: (m) => {
      const handle = get(m, 'handle_time');
      const talk = get(m, 'talk_time');
      return handle === null || talk === null ? null : handle - talk;
    },
  },
  {
    name: 'fcr_rate',
    formula: 'first_contact_resolution / 100',
    requires: ['first_contact_resolution'],
    unit: 'ratio',
    description: 'First-contact resolution as a fraction',
    compute: (m) => fraction(get(m, 'first_contact_resolution')),
  },
  {
    name: 'abandon_ratio',
    formula: 'abandon_rate / 100',
    requires: ['abandon_rate'],
    unit: 'ratio',
    description: 'Abandoned contacts as a fraction',
    compute: (m) => fraction(get(m, 'abandon_rate')),
  },
  {
    name: 'answer_ratio',
    formula: '1 − abandon_rate / 100',
    requires: ['abandon_rate'],
    unit: 'ratio',
    description: 'Contacts not abandoned, as a fraction',
    compute: (m) => {
      const ab = fraction(get(m, 'abandon_rate'));
      return ab === null ? null : 1 - ab;
    },
  },
  {
    name: 'service_level_ratio',
    formula: 'service_level / 100',
    requires: ['service_level'],
    unit: 'ratio',
    description: 'Service level as a fraction',
    compute: (m) => fraction(get(m, 'service_level')),
  },
  // From here on: KPIs over the counts and agent times the real CXone summaries give.
  {
    name: 'handled_ratio',
    formula: 'contacts_handled / contacts_offered',
    requires: ['contacts_handled', 'contacts_offered'],
    unit: 'ratio',
    description: 'Offered contacts that were handled, as a fraction',
    compute: (m) => safeDivide(get(m, 'contacts_handled'), get(m, 'contacts_offered')),
  },
  {
    name: 'within_sla_share_of_handled',
    formula: 'contacts_within_sla / contacts_handled',
    requires: ['contacts_within_sla', 'contacts_handled'],
    unit: 'ratio',
    description: 'Handled contacts answered within the service-level threshold, as a fraction',
    compute: (m) => safeDivide(get(m, 'contacts_within_sla'), get(m, 'contacts_handled')),
  },
  {
    name: 'out_of_sla_ratio',
    formula: 'contacts_out_of_sla / (contacts_within_sla + contacts_out_of_sla)',
    requires: ['contacts_out_of_sla', 'contacts_within_sla'],
    unit: 'ratio',
    description: 'Contacts answered after the service-level threshold, as a fraction',
    compute: (m) =>
      safeDivide(
        get(m, 'contacts_out_of_sla'),
        sum(get(m, 'contacts_within_sla'), get(m, 'contacts_out_of_sla')),
      ),
  },
  {
    name: 'total_handle_time',
    formula: 'handle_time × contacts_handled',
    requires: ['handle_time', 'contacts_handled'],
    unit: 'seconds',
    description: 'Handle time of all handled contacts together (the workload)',
    compute: (m) => {
      const handle = get(m, 'handle_time');
      const handled = get(m, 'contacts_handled');
      return handle === null || handled === null ? null : handle * handled;
    },
  },
  {
    name: 'speed_of_answer_share_of_interaction',
    formula: 'average_speed_of_answer / (average_speed_of_answer + handle_time)',
    requires: ['average_speed_of_answer', 'handle_time'],
    unit: 'ratio',
    description:
      'Share of the time from arrival to the end of handling spent waiting for an answer',
    compute: (m) =>
      safeDivide(
        get(m, 'average_speed_of_answer'),
        sum(get(m, 'average_speed_of_answer'), get(m, 'handle_time')),
      ),
  },
  {
    name: 'available_ratio',
    formula: 'available_time / login_time',
    requires: ['available_time', 'login_time'],
    unit: 'ratio',
    description: 'Logged-in time agents spent available for contacts',
    compute: (m) => safeDivide(get(m, 'available_time'), get(m, 'login_time')),
  },
  {
    name: 'unavailable_ratio',
    formula: 'unavailable_time / login_time',
    requires: ['unavailable_time', 'login_time'],
    unit: 'ratio',
    description: 'Logged-in time agents spent unavailable (breaks, meetings, other codes)',
    compute: (m) => safeDivide(get(m, 'unavailable_time'), get(m, 'login_time')),
  },
  {
    name: 'occupancy_ratio',
    formula: 'occupancy / 100',
    requires: ['occupancy'],
    unit: 'ratio',
    description: 'Occupancy (time in contact work) as a fraction',
    compute: (m) => fraction(get(m, 'occupancy')),
  },
  {
    name: 'working_ratio',
    formula: 'working_rate / 100',
    requires: ['working_rate'],
    unit: 'ratio',
    description: 'Working rate (logged-in time available or handling) as a fraction',
    compute: (m) => fraction(get(m, 'working_rate')),
  },
];

/** The catalogue; every compute is guarded so an overflow is null too, never ±Infinity. */
export const KPI_CATALOGUE: readonly KpiDefinition[] = DEFINITIONS.map((k) => ({
  ...k,
  compute: (m: MetricValues) => {
    const value = k.compute(m);
    return value !== null && Number.isFinite(value) ? value : null;
  },
}));

/** Catalogue names, in catalogue order. */
export const KPI_NAMES: readonly string[] = KPI_CATALOGUE.map((k) => k.name);

const BY_NAME = new Map(KPI_CATALOGUE.map((k) => [k.name, k]));

export function findKpi(name: string): KpiDefinition | undefined {
  return BY_NAME.get(name);
}
