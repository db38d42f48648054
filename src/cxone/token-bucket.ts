/**
 * A reserving token bucket: each call takes one token now and learns how long to wait for it,
 * so callers queue in arrival order without polling. Capacity is one second's worth of tokens
 * (a burst of `ratePerS`), refilled continuously. Time is passed in, so it is a pure state machine.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private ratePerS: number,
    nowMs: number,
  ) {
    this.tokens = ratePerS;
    this.updatedAt = nowMs;
  }

  get rate(): number {
    return this.ratePerS;
  }

  /** Changes the refill rate (e.g. halved after a 429); tokens already owed stay owed. */
  setRate(ratePerS: number, nowMs: number): void {
    this.refill(nowMs);
    this.ratePerS = ratePerS;
    this.tokens = Math.min(this.tokens, ratePerS);
  }

  /** Takes one token and returns the ms to wait before using it (0 when one was available). */
  reserve(nowMs: number): number {
    this.refill(nowMs);
    this.tokens -= 1;
    if (this.tokens >= 0) return 0;
    return Math.ceil((-this.tokens / this.ratePerS) * 1000);
  }

  /** Gives back a reservation that was never used (its caller was cancelled while waiting). */
  release(nowMs: number): void {
    this.refill(nowMs);
    this.tokens = Math.min(this.ratePerS, this.tokens + 1);
  }

  private refill(nowMs: number): void {
    const elapsed = Math.max(0, nowMs - this.updatedAt);
    this.tokens = Math.min(this.ratePerS, this.tokens + (elapsed / 1000) * this.ratePerS);
    this.updatedAt = nowMs;
  }
}
