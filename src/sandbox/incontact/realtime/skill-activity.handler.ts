import { maybeHostile } from '../../hostile-text';
import type { QueueEntry } from '../../queue-live.store';
import type { HandlerResult, SandboxRequest } from '../../sandbox-http';
import type { SandboxState } from '../../sandbox-state';
import { badParam, dateParam, isProblem, list, notFound, pathId } from '../acd-request';
import { BUSINESS_UNIT_ID } from '../ic-fixtures';
import { pageMeta, pageSlice, parsePageRequest, requestUrl, type ParamProblem } from '../paging';
import { fieldsParam, projectFields } from '../values';

/** One `skillActivity[]` item from the shared live figures, typed (encoding happens later). */
function activityItem(
  state: SandboxState,
  entry: QueueEntry,
  withDivision: boolean,
): Record<string, unknown> {
  const f = state.queues.figures(entry);
  const { skill } = entry;
  const nowMs = state.now();
  const text = (value: string): string => maybeHostile(state.incontact.quirks.hostileText, value);
  const item: Record<string, unknown> = {
    serverTime: new Date(nowMs).toISOString(),
    businessUnitId: BUSINESS_UNIT_ID,
    agentsACW: f.agentsAcw,
    agentsAvailable: f.agentsAvailable,
    agentsIdle: f.agentsAvailable,
    agentsLoggedIn: f.agentsLoggedIn,
    agentsUnavailable: f.agentsUnavailable,
    agentsWorking: f.agentsWorking,
    campaignId: skill.campaignId,
    campaignName: text(skill.campaignName),
    contactsActive: f.contactsActive,
    // Longest wait = serverTime − earliestQueueTime; empty when nothing waits.
    earliestQueueTime:
      f.waitTime > 0 ? new Date(nowMs - Math.round(f.waitTime * 1000)).toISOString() : '',
    emailFromAddress: skill.mediaTypeId === 1 ? 'support@example.com' : '',
    isActive: f.isActive,
    inSLA: f.inSLA,
    isNaturalCalling: false,
    isOutbound: skill.isOutbound,
    mediaTypeId: skill.mediaTypeId,
    mediaTypeName: text(skill.mediaTypeName),
    outSLA: f.outSLA,
    queueCount: f.queueCount,
    serviceLevel: f.serviceLevel,
    serviceLevelGoal: f.serviceLevelGoal,
    serviceLevelThreshold: f.serviceLevelThreshold,
    skillName: text(skill.skillName),
    skillId: skill.skillId,
    skillQueueCount: f.queueCount,
    personalQueueCount: 0,
    parkedCount: 0,
  };
  if (withDivision) item.divisionNo = 0;
  return item;
}

function boolParam(query: URLSearchParams, names: string[]): boolean | undefined | ParamProblem {
  for (const name of names) {
    const raw = query.get(name);
    if (raw === null || raw === '') continue;
    if (/^true$/i.test(raw)) return true;
    if (/^false$/i.test(raw)) return false;
    return { param: name, message: `${name} must be true or false, got "${raw}"` };
  }
  return undefined;
}

/**
 * `GET /skills/activity[?updatedSince&mediaTypeId&IsOutbound&fields&top&skip]`. A delta poll
 * with nothing changed is an empty window (204 by default); `lastPollTime` is the server's now,
 * to be sent back as the next `updatedSince`.
 */
export function handleIcSkillActivity(state: SandboxState, req: SandboxRequest): HandlerResult {
  const since = dateParam(req.query, 'updatedSince', false);
  if (isProblem(since)) return badParam(since);
  const outbound = boolParam(req.query, ['IsOutbound', 'isOutbound']);
  if (isProblem(outbound)) return badParam(outbound);
  const mediaRaw = req.query.get('mediaTypeId');
  if (mediaRaw !== null && mediaRaw !== '' && !/^\d+$/.test(mediaRaw))
    return badParam({
      param: 'mediaTypeId',
      message: `mediaTypeId must be a number, got "${mediaRaw}"`,
    });
  const page = parsePageRequest(req.query, state.incontact.quirks.pageCap);
  if (isProblem(page)) return badParam(page);
  const changed = state.queues.changedSince(state.queues.list(), since);
  const selected = changed.entries.filter(
    (e) =>
      (outbound === undefined || e.skill.isOutbound === outbound) &&
      (mediaRaw === null || mediaRaw === '' || e.skill.mediaTypeId === Number(mediaRaw)),
  );
  const slice = pageSlice(selected.length, page, state.incontact.quirks.pageCap);
  const fields = fieldsParam(req.query);
  const items = selected
    .slice(slice.from, slice.from + slice.count)
    .map((e) => projectFields(activityItem(state, e, true), fields));
  return list(state, req, {
    arrayKey: 'skillActivity',
    items,
    emptyIsNoContent: true,
    meta: {
      ...pageMeta({
        total: selected.length,
        page,
        returned: items.length,
        self: requestUrl(req.headers.host, req.path, req.query),
        quirks: state.incontact.quirks,
      }),
      lastPollTime: new Date(changed.pollMs).toISOString(),
    },
  });
}

/** `GET /skills/{skillId}/activity[?updatedSince&fields]`: `{lastPollTime, skillActivity:[one]}`. */
export function handleIcSkillActivityOne(state: SandboxState, req: SandboxRequest): HandlerResult {
  const skillId = pathId(req, 'skillId');
  if (isProblem(skillId)) return badParam(skillId);
  const entry = state.queues.find(skillId);
  if (!entry) return notFound(`Skill ${skillId}`);
  const since = dateParam(req.query, 'updatedSince', false);
  if (isProblem(since)) return badParam(since);
  const fields = fieldsParam(req.query);
  const changed = state.queues.changedSince([entry], since);
  const items = changed.entries.map((e) => projectFields(activityItem(state, e, false), fields));
  return list(state, req, {
    arrayKey: 'skillActivity',
    items,
    emptyIsNoContent: true,
    meta: { lastPollTime: new Date(changed.pollMs).toISOString() },
  });
}
