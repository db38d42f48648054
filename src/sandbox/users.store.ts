import { SANDBOX_FIXTURES } from './fixtures';

export const AGENT_STATUSES = ['Available', 'Busy', 'Break', 'Training', 'Offline'] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

export const PAUSE_REASONS = [
  'IT Issue',
  'Queue Full',
  'Skill Gap',
  'Manager Meeting',
  'System Maintenance',
] as const;

export interface SandboxUser {
  id: string;
  firstName: string;
  lastName: string;
  roles: { name: string }[];
  shiftSchedule?: { start: number; end: number };
  status: string;
}

export interface StatusChange {
  status: AgentStatus;
  pauseReason: string | null;
  wrapUpCode: string | null;
  respectWrapUp: boolean;
}

export type StatusResult =
  | {
      kind: 'ok';
      body: { userId: string; status: string; pauseReason: string | null; updatedAt: string };
    }
  | { kind: 'notFound' }
  | { kind: 'wrapUpActive' };

interface UserTemplate {
  firstName: string;
  lastName: string;
  role: string;
  /** Shift relative to the request time, in hours; undefined = no shift schedule. */
  shiftHours?: [number, number];
  status: string;
}

const HOUR_S = 3600;
const U = SANDBOX_FIXTURES.users;

const TEMPLATES: Record<string, UserTemplate> = {
  [U.agent]: {
    firstName: 'Alice',
    lastName: 'Agent',
    role: 'Agent',
    shiftHours: [-4, 4],
    status: 'Available',
  },
  [U.supervisor]: {
    firstName: 'Sam',
    lastName: 'Supervisor',
    role: 'Supervisor',
    shiftHours: [-4, 4],
    status: 'Available',
  },
  [U.noAgentRole]: {
    firstName: 'Victor',
    lastName: 'Viewer',
    role: 'Viewer',
    shiftHours: [-4, 4],
    status: 'Offline',
  },
  [U.offShift]: {
    firstName: 'Olga',
    lastName: 'Offshift',
    role: 'Agent',
    shiftHours: [-12, -4],
    status: 'Offline',
  },
  [U.wrapUp]: {
    firstName: 'Walter',
    lastName: 'Wrapup',
    role: 'Agent',
    shiftHours: [-4, 4],
    status: 'WrapUp',
  },
  [U.noShift]: { firstName: 'Nina', lastName: 'Noshift', role: 'Agent', status: 'Available' },
};

/** The fixture users and the statuses set on them since the last reset. */
export class UserStore {
  private readonly statuses = new Map<string, { status: string; pauseReason: string | null }>();

  constructor(private readonly now: () => number) {}

  get(userId: string): SandboxUser | undefined {
    const t = TEMPLATES[userId];
    if (!t) return undefined;
    const nowS = Math.floor(this.now() / 1000);
    const user: SandboxUser = {
      id: userId,
      firstName: t.firstName,
      lastName: t.lastName,
      roles: [{ name: t.role }],
      status: this.statuses.get(userId)?.status ?? t.status,
    };
    // Computed per request so "on shift now" stays true however long the sandbox runs.
    if (t.shiftHours)
      user.shiftSchedule = {
        start: nowS + t.shiftHours[0] * HOUR_S,
        end: nowS + t.shiftHours[1] * HOUR_S,
      };
    return user;
  }

  setStatus(userId: string, change: StatusChange): StatusResult {
    const template = TEMPLATES[userId];
    if (!template) return { kind: 'notFound' };
    if (userId === U.wrapUp && change.respectWrapUp) return { kind: 'wrapUpActive' };
    this.statuses.set(userId, { status: change.status, pauseReason: change.pauseReason });
    return {
      kind: 'ok',
      body: {
        userId,
        status: change.status,
        pauseReason: change.pauseReason,
        updatedAt: new Date(this.now()).toISOString(),
      },
    };
  }

  reset(): void {
    this.statuses.clear();
  }
}
