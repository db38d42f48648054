/** What one upstream attempt told the limiter. */
export interface LimitSample {
  /** When the attempt finished (ms since the epoch, from the Clock). */
  at: number;
  latencyMs: number;
  /**
   * `ok`: answered (any status that is not overload); `overload`: 429, 503 or a timeout — the
   * signals to back off on; `ignored`: a failure that says nothing about load (4xx, network).
   */
  outcome: 'ok' | 'overload' | 'ignored';
  /** HTTP status of an overload answer (429, 503), absent for a timeout. */
  status?: number;
  /** The answer's Retry-After, when it had one. */
  retryAfterMs?: number;
  /** Attempts in flight when this one finished (this one included). */
  inFlight: number;
  /**
   * Which kind of call this was (the upstream operation). Latency is compared per kind: a
   * summary that always takes 400 ms is not "slower" than a token call that takes 20 ms.
   */
  key?: string;
}

/** Why the limit last changed, for `/v1/upstream/status`. */
export interface LimitChange {
  at: number;
  from: number;
  to: number;
  reason: string;
}

export interface AdaptiveLimitOptions {
  initial: number;
  /** CXONE_MAX_CONCURRENCY when set, else a generous default: the limit never exceeds it. */
  max: number;
  min: number;
  /** Recent latency up to this multiple of the baseline still counts as flat. */
  tolerance: number;
  /** At most one +1 step per this many ms (and per round trip). */
  growEveryMs: number;
  /** The factor a cut multiplies the limit by (429, 503, timeout). */
  backoff: number;
  /** The baseline forgets itself by this factor per minute, so a slower steady state is learned. */
  baselineDriftPerMin: number;
}

export const DEFAULT_LIMIT_OPTIONS: AdaptiveLimitOptions = {
  initial: 16,
  max: 64,
  min: 1,
  tolerance: 2,
  growEveryMs: 500,
  backoff: 0.5,
  baselineDriftPerMin: 1.5,
};

const RECENT_WEIGHT = 0.3;
const DEFAULT_KEY = 'all';

interface KeyLatency {
  recentMs: number | null;
  baselineMs: number | null;
  baselineAt: number;
}

/**
 * An adaptive concurrency limit in the manner of Netflix's concurrency-limits (AIMD with a
 * latency gradient) and Envoy's adaptive concurrency filter, as a pure state machine (time comes
 * in with each sample). It grows by one, at most every `growEveryMs` and once per round trip,
 * while calls succeed, the limit is in use and recent latency stays within `tolerance` × the
 * baseline (a slowly forgetting minimum); it shrinks by 10 % when latency rises past that, and is
 * cut by `backoff` on 429, 503 or a timeout — once per round trip, so the answers to calls sent
 * together cut it once. A Retry-After starts a hold: no growth (and, in the budget, no new
 * calls) until it ends.
 */
export class AdaptiveLimit {
  private current: number;
  /** Recent latency and its baseline, per kind of call (LimitSample.key). */
  private readonly latencies = new Map<string, KeyLatency>();
  /** The kind of call seen last (what latency() reports). */
  private lastKey = DEFAULT_KEY;
  /** When the limit last grew (or the first sample came): growth waits `growEveryMs` from it. */
  private lastGrowAt: number | null = null;
  private lastCutAt = Number.NEGATIVE_INFINITY;
  private holdEndsAt = 0;
  private change: LimitChange | null = null;

  constructor(private readonly options: AdaptiveLimitOptions = DEFAULT_LIMIT_OPTIONS) {
    this.current = clamp(options.initial, options.min, options.max);
  }

  /** Calls that may be in flight now. */
  get limit(): number {
    return Math.floor(this.current);
  }

  get lastChange(): LimitChange | null {
    return this.change;
  }

  /** While a Retry-After is in force: when it ends (else 0). */
  holdUntil(now: number): number {
    return now < this.holdEndsAt ? this.holdEndsAt : 0;
  }

  latency(): { recent: number | null; baseline: number | null } {
    const latest = this.latencies.get(this.lastKey);
    return { recent: latest?.recentMs ?? null, baseline: latest?.baselineMs ?? null };
  }

  /** The smoothed recent latency of one kind of call (LimitSample.key); null before its first. */
  recentLatency(key = DEFAULT_KEY): number | null {
    return this.latencies.get(key)?.recentMs ?? null;
  }

  /** Takes a limit decided elsewhere (another replica, through Redis). */
  adopt(change: LimitChange): void {
    if (Math.floor(this.current) === change.to) return;
    this.current = clamp(change.to, this.options.min, this.options.max);
    this.change = change;
    if (change.to < change.from) this.lastCutAt = change.at;
    else this.lastGrowAt = change.at;
  }

  /** Holds new calls until `until` (a Retry-After another replica received); never shortens. */
  extendHold(until: number): void {
    this.holdEndsAt = Math.max(this.holdEndsAt, until);
  }

  /** Feeds one finished attempt; returns the change it caused, if any. */
  onSample(sample: LimitSample): LimitChange | null {
    if (sample.retryAfterMs !== undefined && sample.retryAfterMs > 0) {
      this.holdEndsAt = Math.max(this.holdEndsAt, sample.at + sample.retryAfterMs);
    }
    switch (sample.outcome) {
      case 'overload':
        return this.cut(sample);
      case 'ok':
        this.observe(sample);
        return this.maybeGrowOrShrink(sample);
      case 'ignored':
        return null;
    }
  }

  private latencyOf(sample: LimitSample): KeyLatency {
    const key = sample.key ?? DEFAULT_KEY;
    this.lastKey = key;
    let entry = this.latencies.get(key);
    if (!entry) {
      entry = { recentMs: null, baselineMs: null, baselineAt: 0 };
      this.latencies.set(key, entry);
    }
    return entry;
  }

  private observe(sample: LimitSample): void {
    const entry = this.latencyOf(sample);
    const ms = Math.max(1, sample.latencyMs);
    entry.recentMs =
      entry.recentMs === null ? ms : entry.recentMs + RECENT_WEIGHT * (ms - entry.recentMs);
    const minutes = (sample.at - entry.baselineAt) / 60_000;
    const forgotten =
      entry.baselineMs === null
        ? ms
        : entry.baselineMs * Math.pow(this.options.baselineDriftPerMin, Math.max(0, minutes));
    entry.baselineMs = Math.min(forgotten, ms);
    entry.baselineAt = sample.at;
  }

  private maybeGrowOrShrink(sample: LimitSample): LimitChange | null {
    const entry = this.latencyOf(sample);
    const recent = entry.recentMs ?? 0;
    const baseline = entry.baselineMs ?? recent;
    const roundTrip = Math.max(recent, 1);
    if (recent > baseline * this.options.tolerance) {
      if (sample.at - this.lastCutAt < roundTrip) return null;
      this.lastCutAt = sample.at;
      const why = `latency rose to ${Math.round(recent)} ms (baseline ${Math.round(baseline)} ms)`;
      return this.set(this.current * 0.9, sample.at, why);
    }
    this.lastGrowAt ??= sample.at;
    const inUse = sample.inFlight >= this.current / 2;
    const quiet = sample.at - this.lastGrowAt >= Math.max(this.options.growEveryMs, roundTrip);
    if (!inUse || !quiet || sample.at < this.holdEndsAt) return null;
    this.lastGrowAt = sample.at;
    const why = `calls succeed and latency is flat (${Math.round(recent)} ms, baseline ${Math.round(baseline)} ms)`;
    return this.set(Math.floor(this.current) + 1, sample.at, why);
  }

  private cut(sample: LimitSample): LimitChange | null {
    const roundTrip = Math.max(this.latencyOf(sample).recentMs ?? sample.latencyMs, 1);
    if (sample.at - this.lastCutAt < roundTrip) return null;
    this.lastCutAt = sample.at;
    const what = sample.status ? `HTTP ${sample.status}` : 'a timeout';
    const hold = sample.retryAfterMs ? `, holding ${Math.round(sample.retryAfterMs)} ms` : '';
    return this.set(
      this.current * this.options.backoff,
      sample.at,
      `CXone answered ${what}${hold}`,
    );
  }

  private set(next: number, at: number, reason: string): LimitChange | null {
    const from = Math.floor(this.current);
    this.current = clamp(next, this.options.min, this.options.max);
    const to = Math.floor(this.current);
    if (to === from) return null;
    this.change = { at, from, to, reason };
    return this.change;
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
