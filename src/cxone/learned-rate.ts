/** Why the rate cap last changed. */
export interface RateChange {
  at: number;
  from: number | null;
  to: number;
  reason: string;
}

export interface LearnedRateOptions {
  /** The cap a 429 sets, as a share of the calls CXone accepted in the second before. */
  backoff: number;
  /** Growth per second while the cap is what holds calls back: this share of it, at least 1/s. */
  probePerSecond: number;
  minRps: number;
}

export const DEFAULT_RATE_OPTIONS: LearnedRateOptions = {
  backoff: 0.7,
  probePerSecond: 0.05,
  minRps: 1,
};

const WINDOW_MS = 1000;
const SLOTS = 10;
const SLOT_MS = WINDOW_MS / SLOTS;

/**
 * The tenant's request rate, learned from its 429s (CXone documents no limit). No cap at first;
 * a 429 sets the cap to `backoff` × the calls accepted in the second before it — what the
 * tenant demonstrably lets through, minus a margin — at most once a second (the answers to calls
 * already in flight do not cut it again). While the cap is what makes calls wait and no 429
 * came for a second, it grows additively (`probePerSecond`), so it follows a limit that is
 * raised, and settles just below one that is not. A pure state machine: time comes in.
 */
export class LearnedRate {
  private cap: number | null = null;
  private readonly accepted = new Array<number>(SLOTS).fill(0);
  private slotAt = 0;
  private lastCutAt = Number.NEGATIVE_INFINITY;
  private grownAt = 0;
  private boundAt = Number.NEGATIVE_INFINITY;
  private change: RateChange | null = null;

  constructor(private readonly options: LearnedRateOptions = DEFAULT_RATE_OPTIONS) {}

  /** The learned cap in requests per second, or null while none was learned. */
  get rate(): number | null {
    return this.cap;
  }

  get lastChange(): RateChange | null {
    return this.change;
  }

  /** Counts a call CXone accepted (anything but a 429). */
  onAccepted(now: number): void {
    this.roll(now);
    this.accepted[Math.floor(now / SLOT_MS) % SLOTS] += 1;
  }

  /** Calls accepted in the last second. */
  acceptedLastSecond(now: number): number {
    this.roll(now);
    return this.accepted.reduce((a, b) => a + b, 0);
  }

  /** A call had to wait for the cap: it is what limits us now (growth probes only then). */
  onBound(now: number): void {
    this.boundAt = now;
  }

  /** CXone answered 429. `acceptedPerSecond`: the tenant-wide count when replicas share one. */
  onRateLimited(now: number, acceptedPerSecond = this.acceptedLastSecond(now)): RateChange | null {
    if (now - this.lastCutAt < WINDOW_MS) return null;
    this.lastCutAt = now;
    this.grownAt = now;
    const next = Math.max(this.options.minRps, this.options.backoff * acceptedPerSecond);
    const reason = `CXone answered HTTP 429 after accepting ${acceptedPerSecond} calls in the last second`;
    return this.set(next, now, reason);
  }

  /** Applies the additive probe for the time since the last step; returns the change, if any. */
  probe(now: number): RateChange | null {
    if (this.cap === null) return null;
    const quietFor = now - Math.max(this.lastCutAt, this.grownAt);
    const bound = now - this.boundAt < WINDOW_MS;
    if (quietFor < WINDOW_MS || !bound) {
      if (!bound) this.grownAt = now;
      return null;
    }
    const seconds = Math.floor(quietFor / WINDOW_MS);
    this.grownAt += seconds * WINDOW_MS;
    const step = Math.max(1, this.cap * this.options.probePerSecond) * seconds;
    return this.set(this.cap + step, now, 'no 429 while the cap held calls back: probing upwards');
  }

  /** Takes a cap decided elsewhere (another replica, through Redis). */
  adopt(change: RateChange): void {
    if (this.cap !== null && Math.round(this.cap) === Math.round(change.to)) return;
    this.cap = change.to;
    this.change = change;
    if (change.from === null || change.to < change.from) this.lastCutAt = change.at;
    this.grownAt = change.at;
  }

  private set(next: number, at: number, reason: string): RateChange | null {
    const from = this.cap === null ? null : Math.round(this.cap * 10) / 10;
    this.cap = next;
    const to = Math.round(next * 10) / 10;
    if (from === to) return null;
    this.change = { at, from, to, reason };
    return this.change;
  }

  private roll(now: number): void {
    const slot = Math.floor(now / SLOT_MS);
    if (slot - this.slotAt >= SLOTS) this.accepted.fill(0);
    else for (let s = this.slotAt + 1; s <= slot; s += 1) this.accepted[s % SLOTS] = 0;
    this.slotAt = Math.max(this.slotAt, slot);
  }
}
