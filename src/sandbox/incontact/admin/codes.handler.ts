import { maybeHostile } from '../../hostile-text';
import type { HandlerResult, SandboxRequest } from '../../sandbox-http';
import type { SandboxState } from '../../sandbox-state';
import { badParam, isProblem, list, notFound, object, pathId } from '../acd-request';
import { BUSINESS_UNIT_ID, icTeam } from '../ic-fixtures';
import { pageMeta, pageSlice, parsePageRequest, requestUrl } from '../paging';
import { teamCodes, UNAVAILABLE_CODES, type UnavailableCode } from '../unavailable-codes';
import { fieldsParam, projectFields } from '../values';

/** Admin lists page by 50 by default and never return more than 100 rows. */
const ADMIN_PAGE_CAP = 100;
const ADMIN_DEFAULT_TOP = 50;

/**
 * One code of the business unit's list. The spec names the fields `id`, `name`, `isACW`,
 * `agentTimeout`; the alternate spelling is the one clients hedge for.
 */
function globalItem(state: SandboxState, code: UnavailableCode): Record<string, unknown> {
  const { quirks } = state.incontact;
  const name = maybeHostile(quirks.hostileText, code.name);
  if (quirks.codeFieldNames === 'alternate')
    return {
      unavailableCodeId: code.id,
      unavailableCode: name,
      isActive: code.isActive,
      isAcw: code.isAcw,
      agentTimeout: code.agentTimeoutMins,
    };
  return {
    id: code.id,
    name,
    isActive: code.isActive,
    isACW: code.isAcw,
    agentTimeout: code.agentTimeoutMins,
  };
}

/** One code of a team's list: `outstateId`/`outstateName`/`isAcw`, the timeout as a string. */
function teamItem(state: SandboxState, code: UnavailableCode): Record<string, unknown> {
  const { quirks } = state.incontact;
  const name = maybeHostile(quirks.hostileText, code.name);
  if (quirks.codeFieldNames === 'alternate')
    return {
      outStateId: code.id,
      outStateName: name,
      isActive: code.isActive,
      isAcw: code.isAcw,
      agentTimeoutMins: code.agentTimeoutMins,
    };
  return {
    outstateId: code.id,
    outstateName: name,
    isActive: code.isActive,
    isAcw: code.isAcw,
    agentTimeoutMins: String(code.agentTimeoutMins),
  };
}

/** `GET /unavailable-codes[?isActive&searchString&fields&top&skip]`: the business unit's codes. */
export function handleIcUnavailableCodes(state: SandboxState, req: SandboxRequest): HandlerResult {
  const active = req.query.get('isActive');
  if (active !== null && !/^(true|false)$/i.test(active))
    return badParam({
      param: 'isActive',
      message: `isActive must be true or false, got "${active}"`,
    });
  const page = parsePageRequest(req.query, ADMIN_DEFAULT_TOP);
  if (isProblem(page)) return badParam(page);
  const search = (req.query.get('searchString') ?? '').toLowerCase();
  const codes = UNAVAILABLE_CODES.filter(
    (c) =>
      (active === null || c.isActive === /^true$/i.test(active)) &&
      (search === '' || c.name.toLowerCase().includes(search)),
  );
  const slice = pageSlice(codes.length, page, ADMIN_PAGE_CAP);
  const fields = fieldsParam(req.query);
  const items = codes
    .slice(slice.from, slice.from + slice.count)
    .map((c) => projectFields(globalItem(state, c), fields));
  return list(state, req, {
    arrayKey: 'unavailableCodes',
    items,
    emptyIsNoContent: false,
    meta: {
      ...pageMeta({
        total: codes.length,
        page,
        returned: items.length,
        self: requestUrl(req.headers.host, req.path, req.query),
        quirks: state.incontact.quirks,
      }),
      businessUnitId: BUSINESS_UNIT_ID,
    },
  });
}

/** `GET /teams/{teamId}/unavailable-codes[?activeOnly]`: the codes valid for the team's agents. */
export function handleIcTeamUnavailableCodes(
  state: SandboxState,
  req: SandboxRequest,
): HandlerResult {
  const teamId = pathId(req, 'teamId');
  if (isProblem(teamId)) return badParam(teamId);
  const team = icTeam(teamId);
  if (!team) return notFound(`Team ${teamId}`);
  const activeOnly = /^true$/i.test(req.query.get('activeOnly') ?? '');
  const codes = teamCodes(teamId).filter((c) => !activeOnly || c.isActive);
  return object(state, req, {
    teamId: team.teamId,
    teamName: maybeHostile(state.incontact.quirks.hostileText, team.teamName),
    teamUuid: team.teamUuid,
    divisionNo: 0,
    unavailableCodes: codes.map((c) => teamItem(state, c)),
  });
}
