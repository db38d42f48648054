/** The agent statuses a caller may request (the v2 §status code matrix). */
export const AGENT_STATUSES = ['Available', 'Busy', 'Break', 'Training', 'Offline'] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

/** Roles that may hold a desktop status (v2 §status, step 1). */
export const STATUS_ROLES = ['Agent', 'Supervisor'] as const;

/** What a caller asked for, after DTO validation. */
export interface StatusChangeRequest {
  status: AgentStatus;
  pauseReason?: string | null;
  wrapUpCode?: string | null;
  forceAvailability?: boolean;
}

/** The upstream PUT body, exactly as v2 §status builds it. */
export interface StatusPayload {
  status: AgentStatus;
  pauseReason: string | null;
  wrapUpCode: string | null;
  directiveFlags: { autoAvailable: boolean; respectWrapUp: true };
}

/** The parts of an upstream user the checks need. */
export interface StatusUser {
  roles: string[];
  /** Epoch seconds; absent when the user has no schedule. */
  shiftSchedule?: { start: number; end: number };
  /** The dialect's own id of the user, when it differs from the path's (e.g. a numeric agent id). */
  upstreamId?: string;
  /** Whether the agent may work at all (dialects with the `active` check). */
  active?: boolean;
  /** Whether the agent is in after-contact work right now (the `wrapUp` check). */
  inWrapUp?: boolean;
  /** Pause reasons valid for this user (with `pauseReasons: 'user'`): the team's codes. */
  pauseReasons?: readonly UserPauseReason[];
}

/** A pause reason as the dialect knows it for one user (an unavailable code of the team). */
export interface UserPauseReason {
  id: string;
  name: string;
  active: boolean;
}

/** A rule the service can apply to the looked-up user before the write. */
export type StatusCheck = 'role' | 'shift' | 'active' | 'pauseReason' | 'wrapUp';

/**
 * The checks a dialect can make. The seed API gives roles and a shift schedule; the real CXone
 * API gives an agent's active flag, its after-contact-work state and its team's codes, and no
 * schedule at all.
 */
export interface StatusRuleSet {
  /**
   * Where pause reasons come from: VALID_PAUSE_REASONS, checked before any upstream call
   * (`config`), or the looked-up user's own list (`user`, checked by the `pauseReason` check).
   */
  pauseReasons: 'config' | 'user';
  /** Checks applied to the looked-up user, in order. */
  checks: readonly StatusCheck[];
  /** Checks this dialect cannot make; the response says so instead of pretending. */
  skipped: readonly StatusCheck[];
  /** Body fields this dialect has no upstream place for: set, they are a 400 naming them. */
  unsupportedFields?: readonly ('wrapUpCode' | 'forceAvailability')[];
}

/** The seed dialect's rules (v2 §status): tenant pause reasons, role, shift. */
export const V2_STATUS_RULES: StatusRuleSet = {
  pauseReasons: 'config',
  checks: ['role', 'shift'],
  skipped: [],
};

/** Statuses that are an unavailable state with a reason (the others take none). */
export const PAUSED_STATUSES: readonly AgentStatus[] = ['Break', 'Busy', 'Training'];

/**
 * The pause reason a change names in a dialect with per-user reasons: its `pauseReason`, or
 * the status itself when it has none (a team's code called "Busy"); undefined when the status
 * takes no reason.
 */
export function wantedPauseReason(payload: StatusPayload): string | undefined {
  if (!PAUSED_STATUSES.includes(payload.status)) return undefined;
  return payload.pauseReason ?? payload.status;
}

/** The user's reason of that name: exact first, else ignoring case and surrounding blanks. */
export function findPauseReason(
  reasons: readonly UserPauseReason[],
  name: string,
): UserPauseReason | undefined {
  const folded = name.trim().toLowerCase();
  return (
    reasons.find((r) => r.name === name) ??
    reasons.find((r) => r.name.trim().toLowerCase() === folded)
  );
}

/** What the answer says about a check the dialect could not make. */
export const CHECK_NOT_AVAILABLE = 'not-available-in-dialect';

/** What CXone confirmed after the write (fields it omitted are undefined). */
export interface StatusWriteResult {
  status?: string;
  pauseReason?: string | null;
  updatedAt?: string;
}

/** The gateway's answer to PUT /v1/agents/{userId}/status (also what idempotent replays return). */
export interface AgentStatusResult {
  userId: string;
  status: string;
  pauseReason: string | null;
  updatedAt: string;
  latencyMs: number;
  /** Only where the dialect skipped a check: which, and why (e.g. `{shift: 'not-available-in-dialect'}`). */
  checks?: Partial<Record<StatusCheck, typeof CHECK_NOT_AVAILABLE>>;
}
