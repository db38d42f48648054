import { CircuitBreakerPolicy, CircuitState, circuitBreaker, handleWhen } from 'cockatiel';
import type { Clock } from '../common/clock/clock';
import type { UpstreamOperation } from './cxone.types';
import { OutageBreaker } from './outage-breaker';
import { AttemptFailure } from './upstream-error';

/** Breakers are per capability, so a failing export API does not shed reporting traffic. */
export const OPERATION_GROUPS = ['reporting', 'analytics', 'exports', 'users'] as const;
export type OperationGroup = (typeof OPERATION_GROUPS)[number] | 'auth';
export type CircuitStateName = 'closed' | 'open' | 'halfOpen';

export function operationGroup(operation: UpstreamOperation): OperationGroup {
  switch (operation) {
    case 'token':
      return 'auth';
    case 'agentHistory':
    case 'queueStats':
      return 'reporting';
    case 'analyticsQuery':
      return 'analytics';
    case 'exportCreate':
    case 'exportList':
    case 'exportGet':
    case 'exportDownload':
      return 'exports';
    case 'userGet':
    case 'userStatus':
      return 'users';
  }
}

export interface BreakerOptions {
  /** Consecutive CXone-side failures (5xx, 408, timeouts, network) that open a circuit (see OutageBreaker). */
  threshold: number;
  /** How long an open circuit sheds load before letting one probe through. */
  halfOpenAfterMs: number;
}

interface GroupBreaker {
  policy: CircuitBreakerPolicy;
  openedAt: number;
}

/**
 * One cockatiel circuit breaker per operation group. Only failures that say CXone is unwell
 * count (AttemptFailure.tripsBreaker); a 4xx is the request's fault and passes through untouched.
 * When half-open, cockatiel lets exactly one probe through and holds the others until it ends.
 */
export class CircuitBreakers {
  private readonly groups = new Map<OperationGroup, GroupBreaker>();

  constructor(
    private readonly options: BreakerOptions,
    private readonly clock: Clock,
  ) {}

  policyFor(operation: UpstreamOperation): CircuitBreakerPolicy {
    return this.get(operationGroup(operation)).policy;
  }

  /** Seconds until the group's circuit lets a probe through (at least 1). */
  retryAfterS(operation: UpstreamOperation): number {
    const group = this.get(operationGroup(operation));
    const remaining = group.openedAt + this.options.halfOpenAfterMs - this.clock.now();
    return Math.max(1, Math.ceil(remaining / 1000));
  }

  states(): Record<(typeof OPERATION_GROUPS)[number], CircuitStateName> {
    const entries = OPERATION_GROUPS.map((g) => [g, stateName(this.groups.get(g)?.policy.state)]);
    return Object.fromEntries(entries) as Record<
      (typeof OPERATION_GROUPS)[number],
      CircuitStateName
    >;
  }

  private get(group: OperationGroup): GroupBreaker {
    let entry = this.groups.get(group);
    if (!entry) {
      const policy = circuitBreaker(
        handleWhen((err) => err instanceof AttemptFailure && err.tripsBreaker),
        {
          halfOpenAfter: this.options.halfOpenAfterMs,
          breaker: new OutageBreaker(this.options.threshold),
        },
      );
      const created: GroupBreaker = { policy, openedAt: 0 };
      policy.onBreak(() => {
        created.openedAt = this.clock.now();
      });
      this.groups.set(group, created);
      entry = created;
    }
    return entry;
  }
}

function stateName(state: CircuitState | undefined): CircuitStateName {
  switch (state) {
    case undefined:
    case CircuitState.Closed:
      return 'closed';
    case CircuitState.HalfOpen:
      return 'halfOpen';
    case CircuitState.Open:
    case CircuitState.Isolated:
      return 'open';
  }
}
