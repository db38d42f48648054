import { SANDBOX_FIXTURES } from './fixtures';
import { hash, unit } from './hash';

/**
 * Deterministic analytics fact rows: one per UTC day × channel × skill × queue × agent × campaign
 * (5 × 3 × 4 × 6 × 2 = 720 a day). Each holds an interaction count and per-interaction averages;
 * about 10 % have zero interactions (all metrics 0).
 */

export const ANALYTICS_METRICS = [
  'handle_time',
  'talk_time',
  'hold_time',
  'queue_time',
  'wrap_time',
  'abandon_rate',
  'service_level',
  'first_contact_resolution',
] as const;
export type AnalyticsMetric = (typeof ANALYTICS_METRICS)[number];

export const ANALYTICS_DIMENSIONS = [
  'channel',
  'skill',
  'queue',
  'agent',
  'campaign',
  'date',
] as const;
export type AnalyticsDimension = (typeof ANALYTICS_DIMENSIONS)[number];

const { channels, skills, campaigns } = SANDBOX_FIXTURES.analytics;
const QUEUE_IDS = SANDBOX_FIXTURES.queues.map((q) => q.id);
const AGENT_IDS = SANDBOX_FIXTURES.agentRoster.map((a) => a.id);

/** Dimension values other than `date`, in fact-cell order. */
export const DIMENSION_VALUES: Record<Exclude<AnalyticsDimension, 'date'>, readonly string[]> = {
  channel: channels,
  skill: skills,
  queue: QUEUE_IDS,
  agent: AGENT_IDS,
  campaign: campaigns,
};

export const CELLS_PER_DAY =
  channels.length * skills.length * QUEUE_IDS.length * AGENT_IDS.length * campaigns.length;

export interface FactCell {
  channel: string;
  skill: string;
  queue: string;
  agent: string;
  campaign: string;
}

interface ChannelProfile {
  maxInteractions: number;
  handle: number;
  queue: number;
  hold: number;
  abandon: number;
}

const CHANNEL_PROFILES: Record<string, ChannelProfile> = {
  voice: { maxInteractions: 40, handle: 360, queue: 60, hold: 90, abandon: 20 },
  chat: { maxInteractions: 30, handle: 540, queue: 45, hold: 20, abandon: 12 },
  email: { maxInteractions: 15, handle: 900, queue: 1800, hold: 0, abandon: 2 },
  sms: { maxInteractions: 10, handle: 300, queue: 300, hold: 0, abandon: 5 },
  social: { maxInteractions: 6, handle: 420, queue: 600, hold: 0, abandon: 5 },
};

function decodeCell(cell: number): FactCell {
  let rest = cell;
  const pick = (values: readonly string[]): string => {
    const value = values[rest % values.length];
    rest = Math.floor(rest / values.length);
    return value;
  };
  const campaign = pick(campaigns);
  const agent = pick(AGENT_IDS);
  const queue = pick(QUEUE_IDS);
  const skill = pick(skills);
  const channel = pick(channels);
  return { channel, skill, queue, agent, campaign };
}

// Decoded once: aggregation touches every cell of every day in a range.
const CELLS: readonly FactCell[] = Array.from({ length: CELLS_PER_DAY }, (_, i) => decodeCell(i));

/** The dimension values of a cell index (0 … CELLS_PER_DAY−1). */
export function factCell(cell: number): FactCell {
  return CELLS[cell];
}

const round1 = (value: number): number => Math.round(value * 10) / 10;

/** Interactions in one cell of one day (`day` = UTC days since the epoch). */
export function factInteractions(seed: number, day: number, cell: number): number {
  const u = unit(hash(seed, day, cell, 100));
  if (u < 0.1) return 0;
  const profile = CHANNEL_PROFILES[factCell(cell).channel];
  return 1 + Math.floor(((u - 0.1) / 0.9) * profile.maxInteractions);
}

/** Average per interaction (seconds, or percent for rates), one decimal; 0 when no interactions. */
export function factMetric(
  seed: number,
  day: number,
  cell: number,
  metric: AnalyticsMetric,
): number {
  return factInteractions(seed, day, cell) === 0 ? 0 : activeFactMetric(seed, day, cell, metric);
}

/** factMetric for a cell already known to have interactions (the aggregation hot path). */
export function activeFactMetric(
  seed: number,
  day: number,
  cell: number,
  metric: AnalyticsMetric,
): number {
  const profile = CHANNEL_PROFILES[factCell(cell).channel];
  const u = unit(hash(seed, day, cell, ANALYTICS_METRICS.indexOf(metric) + 1));
  switch (metric) {
    case 'handle_time':
      return handleTime(seed, day, cell, profile);
    case 'talk_time':
      return round1(handleTime(seed, day, cell, profile) * (0.55 + 0.3 * u));
    case 'hold_time':
      return round1(profile.hold * u);
    case 'queue_time':
      return round1(profile.queue * (0.2 + 1.6 * u));
    case 'wrap_time':
      return round1(10 + 110 * u);
    case 'abandon_rate':
      return round1(profile.abandon * u);
    case 'service_level':
      return round1(60 + 40 * u);
    case 'first_contact_resolution':
      return round1(55 + 40 * u);
  }
}

function handleTime(seed: number, day: number, cell: number, profile: ChannelProfile): number {
  return round1(profile.handle * (0.6 + 0.8 * unit(hash(seed, day, cell, 1))));
}
