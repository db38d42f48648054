import type {
  QueueMetricSeries,
  QueueStatsEntry,
} from '../../../reporting/queue-stats/queue-stats.source';
import { toInstantMs } from '../normalise/dates';
import { CxoneRecord } from '../normalise/record';
import { envelopeField } from '../normalise/wrappers';
import { readAcdPage, type AcdPage } from './acd-paging';

/** One skill's real-time activity, normalised. `null`: CXone did not send that figure. */
export interface SkillActivity {
  skillId: string;
  skillName: string;
  /** False: the skill was retired; it leaves the snapshot. */
  isActive: boolean;
  /** When CXone computed these figures (`serverTime`), epoch ms. */
  serverTimeMs: number | null;
  /** Enqueue time of the oldest waiting contact; null when none waits; undefined when not sent. */
  earliestQueueTimeMs: number | null | undefined;
  agentsAvailable: number | null;
  agentsLoggedIn: number | null;
  agentsWorking: number | null;
  agentsAcw: number | null;
  agentsUnavailable: number | null;
  contactsActive: number | null;
  queueCount: number | null;
  serviceLevel: number | null;
  serviceLevelGoal: number | null;
  serviceLevelThreshold: number | null;
  mediaType: string | null;
  isOutbound: boolean | null;
  campaignName: string | null;
}

/** A `skillActivity[]` item; the search endpoint's spellings `agentsAvaliable` etc. accepted. */
export function parseSkillActivity(raw: unknown, path: string): SkillActivity {
  const item = CxoneRecord.of(raw, path);
  const earliest = item.value('earliestQueueTime');
  return {
    skillId: item.requiredId('skillId'),
    skillName: item.text('skillName') ?? '',
    isActive: item.boolean('isActive') ?? true,
    serverTimeMs: item.instantMs('serverTime'),
    earliestQueueTimeMs: earliest === undefined ? undefined : item.instantMs('earliestQueueTime'),
    agentsAvailable: item.number(['agentsAvailable', 'agentsAvaliable']),
    agentsLoggedIn: item.number('agentsLoggedIn'),
    agentsWorking: item.number('agentsWorking'),
    agentsAcw: item.number(['agentsACW', 'agentsAcw']),
    agentsUnavailable: item.number(['agentsUnavailable', 'agentsUnavaliable']),
    contactsActive: item.number('contactsActive'),
    queueCount: item.number('queueCount'),
    serviceLevel: item.number('serviceLevel'),
    serviceLevelGoal: item.number('serviceLevelGoal'),
    serviceLevelThreshold: item.seconds('serviceLevelThreshold'),
    mediaType: item.text(['mediaTypeName', 'mediaName']),
    isOutbound: item.boolean('isOutbound'),
    campaignName: item.text('campaignName'),
  };
}

/** One page of `GET /skills/activity`, with its `lastPollTime` (epoch ms, null when absent). */
export function parseSkillActivityPage(
  body: unknown,
): AcdPage<SkillActivity> & { lastPollTimeMs: number | null } {
  const page = readAcdPage(body, 'skillActivity', parseSkillActivity);
  return {
    ...page,
    lastPollTimeMs: toInstantMs(envelopeField(body, 'lastPollTime'), 'lastPollTime'),
  };
}

/**
 * A skill as the queue-stats port's entry. `waitTime` is the longest current wait: CXone's time
 * (the item's `serverTime`, or the latest poll's when later) minus the oldest contact's enqueue
 * time; 0 when CXone says nobody waits. `abandonCount` is not in this feed: null, never invented.
 */
export function toQueueEntry(skill: SkillActivity, asOfMs: number): QueueStatsEntry {
  const at = skill.serverTimeMs ?? asOfMs;
  // The item's own server time is the instant its figures describe; a later poll moves it on.
  const now = Math.max(asOfMs, at);
  const earliest = skill.earliestQueueTimeMs;
  const waitTime =
    earliest === undefined ? null : earliest === null ? 0 : Math.max(0, now - earliest) / 1000;
  const figures: Record<string, number | string | boolean | null> = {
    waitTime,
    agentCount: skill.agentsAvailable,
    conversationCount: skill.contactsActive,
    abandonCount: null,
    serviceLevel: skill.serviceLevel,
    queueCount: skill.queueCount,
    agentsLoggedIn: skill.agentsLoggedIn,
    agentsWorking: skill.agentsWorking,
    agentsAcw: skill.agentsAcw,
    agentsUnavailable: skill.agentsUnavailable,
    serviceLevelGoal: skill.serviceLevelGoal,
    serviceLevelThreshold: skill.serviceLevelThreshold,
    mediaType: skill.mediaType,
    isOutbound: skill.isOutbound,
    campaignName: skill.campaignName,
  };
  const metrics: QueueMetricSeries[] = Object.entries(figures).map(([name, value]) => ({
    name,
    values: [{ value, timestampMs: name === 'waitTime' ? now : at }],
  }));
  return { queueId: skill.skillId, queueName: skill.skillName, metrics };
}
