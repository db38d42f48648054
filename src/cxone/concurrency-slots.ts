import { BulkheadRejectedError } from 'cockatiel';

interface Waiter {
  admit: () => void;
}

/**
 * A counting semaphore whose size changes under it (the adaptive limit): calls take a slot
 * when fewer than `limit()` are in flight, else wait in arrival order; at most `queueLimit`
 * wait, beyond that a call is refused (cockatiel's BulkheadRejectedError, which the client maps
 * like its old bulkhead's). `admit()` lets waiters in after the limit grew.
 */
export class ConcurrencySlots {
  private taken = 0;
  private readonly waiting: Waiter[] = [];

  constructor(
    private readonly limit: () => number,
    private readonly queueLimit: number,
  ) {}

  get inFlight(): number {
    return this.taken;
  }

  get queued(): number {
    return this.waiting.length;
  }

  acquire(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    if (this.waiting.length === 0 && this.taken < this.limit()) {
      this.taken += 1;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.queueLimit) {
      return Promise.reject(new BulkheadRejectedError(this.limit(), this.queueLimit));
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const index = this.waiting.indexOf(waiter);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(signal.reason as Error);
      };
      const waiter: Waiter = {
        admit: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  release(): void {
    this.taken -= 1;
    this.admit();
  }

  /** Lets waiting calls in while slots are free (after a release, or after the limit grew). */
  admit(): void {
    while (this.waiting.length > 0 && this.taken < this.limit()) {
      this.taken += 1;
      this.waiting.shift()?.admit();
    }
  }
}
