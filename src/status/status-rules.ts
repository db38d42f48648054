import { AppError, FieldError } from '../common/errors/app-error';
import {
  CHECK_NOT_AVAILABLE,
  findPauseReason,
  STATUS_ROLES,
  StatusChangeRequest,
  StatusPayload,
  StatusRuleSet,
  StatusUser,
  wantedPauseReason,
  type AgentStatusResult,
} from './status.types';

/**
 * The tenant-dependent body rules the DTO cannot know: `Break` needs a pause reason and a pause
 * reason must be one of VALID_PAUSE_REASONS. Returns every violation, each naming the allowed
 * values.
 */
export function statusRuleViolations(
  req: StatusChangeRequest,
  validPauseReasons: readonly string[],
): FieldError[] {
  const allowed = validPauseReasons.join(', ');
  const reason = req.pauseReason;
  if (reason === undefined || reason === null) {
    return req.status === 'Break'
      ? [{ field: 'pauseReason', message: `Break requires a pauseReason, one of: ${allowed}` }]
      : [];
  }
  if (!validPauseReasons.includes(reason)) {
    return [{ field: 'pauseReason', message: `pauseReason must be one of: ${allowed}` }];
  }
  return [];
}

/** The upstream body, exactly the v2 §status shape (nulls, not absent keys). */
export function buildStatusPayload(req: StatusChangeRequest): StatusPayload {
  return {
    status: req.status,
    pauseReason: req.pauseReason ?? null,
    wrapUpCode: req.wrapUpCode ?? null,
    directiveFlags: { autoAvailable: req.forceAvailability ?? false, respectWrapUp: true },
  };
}

/** 403 unless the user holds an Agent or Supervisor role. */
export function assertStatusRole(userId: string, user: StatusUser): void {
  if (user.roles.some((r) => (STATUS_ROLES as readonly string[]).includes(r))) return;
  const has = user.roles.length ? user.roles.join(', ') : 'none';
  throw new AppError(
    'FORBIDDEN',
    `User ${userId} cannot hold a desktop status: the Agent or Supervisor role is required (has: ${has})`,
    { extensions: { rule: 'role', requiredRoles: [...STATUS_ROLES] } },
  );
}

/** 422 when the user has a shift schedule and `nowMs` is outside it (bounds inclusive). */
export function assertOnShift(userId: string, user: StatusUser, nowMs: number): void {
  const shift = user.shiftSchedule;
  if (!shift) return;
  const nowS = nowMs / 1000;
  if (nowS >= shift.start && nowS <= shift.end) return;
  const start = new Date(shift.start * 1000).toISOString();
  const end = new Date(shift.end * 1000).toISOString();
  throw new AppError(
    'UNPROCESSABLE',
    `Status changes for user ${userId} are only allowed during the shift window ${start} – ${end}`,
    { extensions: { rule: 'shift', shiftWindow: { start, end } } },
  );
}

/** The body rules of a dialect: VALID_PAUSE_REASONS (where it uses them), fields it cannot carry. */
export function requestViolations(
  req: StatusChangeRequest,
  rules: StatusRuleSet,
  validPauseReasons: readonly string[],
): FieldError[] {
  const out = rules.pauseReasons === 'config' ? statusRuleViolations(req, validPauseReasons) : [];
  const unsupported = rules.unsupportedFields ?? [];
  if (
    unsupported.includes('wrapUpCode') &&
    req.wrapUpCode !== undefined &&
    req.wrapUpCode !== null
  ) {
    out.push({
      field: 'wrapUpCode',
      message:
        'wrapUpCode cannot be set in this dialect: the CXone state change takes no wrap-up code (send null or leave it out)',
    });
  }
  if (unsupported.includes('forceAvailability') && req.forceAvailability === true) {
    out.push({
      field: 'forceAvailability',
      message:
        'forceAvailability cannot be set in this dialect: the CXone state change has no automatic return to Available (send false or leave it out)',
    });
  }
  return out;
}

/** 403 when the dialect says the agent is inactive. */
export function assertActive(userId: string, user: StatusUser): void {
  if (user.active !== false) return;
  throw new AppError(
    'FORBIDDEN',
    `Agent ${userId} is inactive in CXone: an inactive agent cannot hold a desktop status`,
    { extensions: { rule: 'active' } },
  );
}

/** 409 while the agent is in after-contact work: the change respects wrap-up (respectWrapUp). */
export function assertNotInWrapUp(userId: string, user: StatusUser): void {
  if (user.inWrapUp !== true) return;
  throw new AppError(
    'CONFLICT',
    `Agent ${userId} is in after-contact work (wrap-up); the status change respects wrap-up, so retry when it ends`,
    { extensions: { rule: 'wrapUp' } },
  );
}

/**
 * 400 unless the change names one of the user's active pause reasons (its pauseReason, or the
 * status's own name for Break/Busy/Training); a pauseReason on a status that takes none is a
 * 400 too. The message lists the reasons valid for this user.
 */
export function assertUserPauseReason(userId: string, user: StatusUser, payload: StatusPayload) {
  const wanted = wantedPauseReason(payload);
  if (wanted === undefined) {
    if (payload.pauseReason === null) return;
    throw AppError.field(
      'pauseReason',
      `pauseReason goes with Break, Busy or Training only; ${payload.status} takes none`,
    );
  }
  const reasons = user.pauseReasons ?? [];
  const valid = reasons.filter((r) => r.active).map((r) => r.name);
  const listed = valid.length ? valid.join(', ') : 'none';
  const found = findPauseReason(reasons, wanted);
  if (found?.active) return;
  const what =
    payload.pauseReason === null
      ? `${payload.status} needs a pauseReason: the team of agent ${userId} has no unavailable code named ${payload.status}`
      : found
        ? `pauseReason ${wanted} is an inactive unavailable code`
        : `pauseReason ${wanted} is not an unavailable code of the team of agent ${userId}`;
  throw AppError.field('pauseReason', `${what}. Valid for this agent: ${listed}`);
}

/** Applies the dialect's checks to the looked-up user, in their order; a failing one throws. */
export function assertUserRules(
  rules: StatusRuleSet,
  change: { userId: string; user: StatusUser; payload: StatusPayload; nowMs: number },
): void {
  const { userId, user, payload, nowMs } = change;
  for (const check of rules.checks) {
    switch (check) {
      case 'role':
        assertStatusRole(userId, user);
        break;
      case 'shift':
        assertOnShift(userId, user, nowMs);
        break;
      case 'active':
        assertActive(userId, user);
        break;
      case 'pauseReason':
        assertUserPauseReason(userId, user, payload);
        break;
      case 'wrapUp':
        assertNotInWrapUp(userId, user);
        break;
    }
  }
}

/** The answer's `checks` member: present only when the dialect skipped some. */
export function skippedChecks(rules: StatusRuleSet): Pick<AgentStatusResult, 'checks'> {
  if (rules.skipped.length === 0) return {};
  return { checks: Object.fromEntries(rules.skipped.map((c) => [c, CHECK_NOT_AVAILABLE])) };
}
