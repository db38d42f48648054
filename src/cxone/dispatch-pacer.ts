/**
 * How much faster than the concurrency limit sustains (limit ÷ latency) calls may leave: room
 * for the limit to grow into, so pacing never holds back a steady flow, only a clump.
 */
export const PACING_GAIN = 2;
/** Waits shorter than this are not slept (a timer costs about as much): calls go together. */
const MIN_WAIT_MS = 1;

/**
 * Spreads calls over the round trip instead of letting them leave in clumps, as TCP pacing does
 * with a congestion window. Calls sent together come back together, and each answer releases
 * the next call at once, so without pacing a window of calls keeps leaving in one instant: into
 * a tenant's rate limit that has just run dry, every call of the clump is answered 429 before
 * the first of those answers can cut the limit. Paced at `PACING_GAIN` × limit ÷ latency, the
 * first 429 arrives while the rest of the window is still waiting its turn, and the cut (and any
 * Retry-After hold) stops them. A pure state machine: time and latency come in.
 */
export class DispatchPacer {
  /** When the next call may leave (ms, Clock time). */
  private nextAt = Number.NEGATIVE_INFINITY;

  /**
   * Reserves the next departure for a call of `latencyMs` round trip (null before any answer:
   * the first window leaves at once) under a concurrency `limit`, with `othersInFlight` calls
   * out already; returns the ms to wait, 0 to go now. A call with none out is no clump: it goes
   * at once (one after another, calls are a round trip apart anyway).
   */
  reserve(now: number, limit: number, latencyMs: number | null, othersInFlight: number): number {
    if (latencyMs === null || limit <= 0) return 0;
    const spacing = latencyMs / (limit * PACING_GAIN);
    const at = othersInFlight === 0 ? now : Math.max(now, this.nextAt);
    this.nextAt = at + spacing;
    const wait = at - now;
    return wait < MIN_WAIT_MS ? 0 : Math.ceil(wait);
  }
}
