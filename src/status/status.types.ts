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
}

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
}
