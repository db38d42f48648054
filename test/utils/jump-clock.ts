import { SystemClock } from '../../src/common/clock/clock';

/**
 * Real time that a spec can jump forward: timers and sleeps run on the system clock, so HTTP
 * timeouts, retries and background loops behave as in production, while `now()` (what TTLs,
 * token lifetimes, ages and timestamps read) moves ahead at once on `jump`. For whole-gateway
 * specs that only need "later" to have come; a timer already set still fires after its real
 * duration. Share one instance between the gateways and their sandbox.
 */
export class JumpClock extends SystemClock {
  private offset = 0;

  override now(): number {
    return super.now() + this.offset;
  }

  /** Moves `now()` forward by `ms` without waiting. */
  jump(ms: number): void {
    this.offset += ms;
  }
}
