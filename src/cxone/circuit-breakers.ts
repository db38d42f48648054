import type { Clock } from '../common/clock/clock';
import { CircuitBreaker, CircuitStateName } from './circuit-breaker';
import type { UpstreamOperation } from './cxone.types';
import { OutageBreaker } from './outage-breaker';
import { AttemptFailure } from './upstream-error';

export { CircuitOpenError, type CircuitStateName } from './circuit-breaker';

/** Breakers are per capability, so a failing export API does not shed reporting traffic. */
export const OPERATION_GROUPS = ['reporting', 'analytics', 'exports', 'users'] as const;
export type OperationGroup = (typeof OPERATION_GROUPS)[number] | 'auth';

export function operationGroup(operation: UpstreamOperation): OperationGroup {
  switch (operation) {
    // The readiness probe gets its own breaker: a failing probe never pauses users' calls.
    case 'token':
    case 'readinessProbe':
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

/**
 * One circuit breaker per operation group, on the injected Clock. Only failures that say CXone
 * is unwell count (AttemptFailure.tripsBreaker); a 4xx is the request's fault and passes through
 * untouched. When half-open, exactly one probe goes through and the others wait until it ends.
 */
export class CircuitBreakers {
  private readonly groups = new Map<OperationGroup, CircuitBreaker>();

  constructor(
    private readonly options: BreakerOptions,
    private readonly clock: Clock,
  ) {}

  policyFor(operation: UpstreamOperation): CircuitBreaker {
    return this.get(operationGroup(operation));
  }

  /** Seconds until the group's circuit lets a probe through (at least 1). */
  retryAfterS(operation: UpstreamOperation): number {
    const openedAt = this.get(operationGroup(operation)).openedAt;
    if (openedAt === undefined) return 1;
    const remaining = openedAt + this.options.halfOpenAfterMs - this.clock.now();
    return Math.max(1, Math.ceil(remaining / 1000));
  }

  states(): Record<(typeof OPERATION_GROUPS)[number], CircuitStateName> {
    const entries = OPERATION_GROUPS.map((g) => [g, this.groups.get(g)?.state ?? 'closed']);
    return Object.fromEntries(entries) as Record<
      (typeof OPERATION_GROUPS)[number],
      CircuitStateName
    >;
  }

  private get(group: OperationGroup): CircuitBreaker {
    let breaker = this.groups.get(group);
    if (!breaker) {
      breaker = new CircuitBreaker(
        {
          halfOpenAfterMs: this.options.halfOpenAfterMs,
          counter: new OutageBreaker(this.options.threshold),
          trips: (err) => err instanceof AttemptFailure && err.tripsBreaker,
        },
        this.clock,
      );
      this.groups.set(group, breaker);
    }
    return breaker;
  }
}
