import type { RateSpec } from '../../config/rate-limit-config';
import { BucketState, fullBucket, Take, takeTokens } from './token-bucket';

/**
 * This replica's buckets: the limits in memory mode, and the fallback while Redis is down (then
 * each replica admits up to the limit on its own, so N replicas admit up to N times it).
 * Synchronous and allocation-free per request once a bucket exists. Only authenticated keys get
 * a bucket, so there are at most two per configured API key: nothing to evict.
 */
export class MemoryBuckets {
  private readonly buckets = new Map<string, BucketState>();

  take(id: string, spec: RateSpec, want: number, now: number): Take {
    let state = this.buckets.get(id);
    if (!state) {
      state = fullBucket(spec, now);
      this.buckets.set(id, state);
    }
    return takeTokens(state, spec, want, now);
  }
}
