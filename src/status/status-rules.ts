import { AppError, FieldError } from '../common/errors/app-error';
import { STATUS_ROLES, StatusChangeRequest, StatusPayload, StatusUser } from './status.types';

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
