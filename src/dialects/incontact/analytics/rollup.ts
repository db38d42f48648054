/**
 * How the CXone summaries' figures combine when one answer row covers several upstream rows
 * (`channel` spans many skills; a team spans its agents). The upstream sends counts, averages
 * per handled contact, window totals and percentages; each metric names its rule and inputs
 * here, and nothing else in the dialect does arithmetic on them:
 *
 * - counts are summed;
 * - averages are weighted by contacts handled (occupancy and working rate by login time);
 * - a window total per contact (`holdTime`, `acwTime`) is Σ total ÷ Σ contacts handled;
 * - rates are recomputed from their summed parts, never averaged;
 * - the longest wait is the maximum.
 *
 * A row takes part in a rule only when it carries every input of that rule (CXone may leave a
 * field out); a metric no row can give, or whose denominator sums to 0, is null.
 */

/** One upstream row's figures by CXone field name; null = not sent. */
export type Parts = Readonly<Record<string, number | null>>;

export type RollupRule =
  | { kind: 'sum'; of: string }
  | { kind: 'weighted-average'; of: string; weight: string }
  | { kind: 'total-per'; total: string; per: string }
  | { kind: 'percent'; part: string; whole: readonly string[] }
  | { kind: 'max'; of: string };

/** Decimal places of every rolled-up figure: below a millisecond, below 0.0001 %. */
export const ROLLUP_DECIMALS = 4;

function round(value: number): number {
  const factor = 10 ** ROLLUP_DECIMALS;
  const rounded = Math.round(value * factor) / factor;
  return rounded === 0 ? 0 : rounded;
}

/** The rows that carry every named field, each as those fields' values. */
function complete(rows: readonly Parts[], fields: readonly string[]): number[][] {
  const out: number[][] = [];
  for (const row of rows) {
    const values = fields.map((f) => row[f]);
    if (values.every((v): v is number => typeof v === 'number' && Number.isFinite(v))) {
      out.push(values);
    }
  }
  return out;
}

const total = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

/** Σ a / Σ b over the rows, or null when no row has both or Σ b is 0. */
function ratioOfSums(pairs: readonly number[][], scale = 1): number | null {
  if (pairs.length === 0) return null;
  const denominator = total(pairs.map((p) => p[1]));
  return denominator === 0 ? null : (scale * total(pairs.map((p) => p[0]))) / denominator;
}

/** Applies one rule to the rows of an answer row; rounded to ROLLUP_DECIMALS. */
export function rollUp(rows: readonly Parts[], rule: RollupRule): number | null {
  const value = evaluate(rows, rule);
  return value === null ? null : round(value);
}

function evaluate(rows: readonly Parts[], rule: RollupRule): number | null {
  switch (rule.kind) {
    case 'sum': {
      const present = complete(rows, [rule.of]);
      return present.length === 0 ? null : total(present.map((p) => p[0]));
    }
    case 'weighted-average': {
      // Σ(average × weight) / Σ weight: each row counts as often as it has contacts (or login).
      const pairs = complete(rows, [rule.of, rule.weight]).map(([v, w]) => [v * w, w]);
      return ratioOfSums(pairs);
    }
    case 'total-per':
      return ratioOfSums(complete(rows, [rule.total, rule.per]));
    case 'percent': {
      const pairs = complete(rows, [rule.part, ...rule.whole]).map(([part, ...whole]) => [
        part,
        total(whole),
      ]);
      return ratioOfSums(pairs, 100);
    }
    case 'max': {
      const present = complete(rows, [rule.of]);
      return present.length === 0 ? null : Math.max(...present.map((p) => p[0]));
    }
  }
}

/** The skill summaries (`/skills/summary`, SLA counts from `/skills/sla-summary`). */
export const SKILL_RULES: Readonly<Record<string, RollupRule>> = {
  handle_time: { kind: 'weighted-average', of: 'averageHandleTime', weight: 'contactsHandled' },
  talk_time: { kind: 'weighted-average', of: 'averageTalkTime', weight: 'contactsHandled' },
  queue_time: { kind: 'weighted-average', of: 'averageInqueueTime', weight: 'contactsHandled' },
  wrap_time: { kind: 'weighted-average', of: 'averageWrapTime', weight: 'contactsHandled' },
  // holdTime is the skill's total over the window, not an average.
  hold_time: { kind: 'total-per', total: 'holdTime', per: 'contactsHandled' },
  average_speed_of_answer: {
    kind: 'weighted-average',
    of: 'averageSpeedToAnswer',
    weight: 'contactsHandled',
  },
  abandon_rate: { kind: 'percent', part: 'abandonCount', whole: ['contactsOffered'] },
  service_level: {
    kind: 'percent',
    part: 'contactsWithinSLA',
    whole: ['contactsWithinSLA', 'contactsOutOfSLA'],
  },
  contacts_offered: { kind: 'sum', of: 'contactsOffered' },
  contacts_handled: { kind: 'sum', of: 'contactsHandled' },
  abandon_count: { kind: 'sum', of: 'abandonCount' },
  contacts_within_sla: { kind: 'sum', of: 'contactsWithinSLA' },
  contacts_out_of_sla: { kind: 'sum', of: 'contactsOutOfSLA' },
  longest_wait: { kind: 'max', of: 'longestQueueDur' },
};

/** Agent performance and team totals (`/agents/performance`, `/teams/performance-total`). */
export const PERFORMANCE_RULES: Readonly<Record<string, RollupRule>> = {
  handle_time: { kind: 'weighted-average', of: 'totalAvgHandleTime', weight: 'totalHandled' },
  // Talk and after-contact work come as window totals: per handled contact like holdTime.
  talk_time: { kind: 'total-per', total: 'totalTalkTime', per: 'totalHandled' },
  wrap_time: { kind: 'total-per', total: 'acwTime', per: 'totalHandled' },
  contacts_offered: { kind: 'sum', of: 'agentOffered' },
  contacts_handled: { kind: 'sum', of: 'totalHandled' },
  occupancy: { kind: 'weighted-average', of: 'occupancy', weight: 'loginTime' },
  working_rate: { kind: 'weighted-average', of: 'workingRate', weight: 'loginTime' },
  login_time: { kind: 'sum', of: 'loginTime' },
  available_time: { kind: 'sum', of: 'availableTime' },
  unavailable_time: { kind: 'sum', of: 'unavailableTime' },
};

/** The CXone fields a set of metrics needs (e.g. to know whether SLA counts must be fetched). */
export function inputsOf(rules: Readonly<Record<string, RollupRule>>, metrics: readonly string[]) {
  const fields = new Set<string>();
  for (const m of metrics) {
    const rule = rules[m];
    if (!rule) continue;
    switch (rule.kind) {
      case 'sum':
      case 'max':
        fields.add(rule.of);
        break;
      case 'weighted-average':
        fields.add(rule.of).add(rule.weight);
        break;
      case 'total-per':
        fields.add(rule.total).add(rule.per);
        break;
      case 'percent':
        fields.add(rule.part);
        rule.whole.forEach((f) => fields.add(f));
        break;
    }
  }
  return fields;
}

/** One upstream row: its dimension values (as the answer shows them) and its figures. */
export interface Fact {
  dims: Readonly<Record<string, string | null>>;
  parts: Parts;
}

/**
 * Groups facts by the requested dimensions (in order) and rolls each group up: one answer row
 * per distinct combination of values, with the dimension values and one figure per metric.
 */
export function rollUpFacts(
  facts: readonly Fact[],
  dimensions: readonly string[],
  metrics: readonly string[],
  rules: Readonly<Record<string, RollupRule>>,
): Record<string, string | number | null>[] {
  const groups = new Map<string, Fact[]>();
  for (const fact of facts) {
    const key = JSON.stringify(dimensions.map((d) => fact.dims[d] ?? null));
    const group = groups.get(key);
    if (group) group.push(fact);
    else groups.set(key, [fact]);
  }
  return [...groups.values()].map((group) => {
    const row: Record<string, string | number | null> = {};
    for (const d of dimensions) row[d] = group[0].dims[d] ?? null;
    const parts = group.map((f) => f.parts);
    for (const m of metrics) {
      const rule = rules[m];
      row[m] = rule ? rollUp(parts, rule) : null;
    }
    return row;
  });
}
