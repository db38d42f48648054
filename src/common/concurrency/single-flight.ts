/**
 * Identical concurrent work shares one run: while a promise for a key is in flight, later
 * callers get the same promise. The key is forgotten once the run settles, so the next caller
 * (after a cache write the run awaited) starts afresh.
 */
export class SingleFlight<T> {
  private readonly inFlight = new Map<string, Promise<T>>();

  run(key: string, work: () => Promise<T>): Promise<T> {
    const existing = this.inFlight.get(key);
    if (existing) return existing;
    const promise = work().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return promise;
  }

  get size(): number {
    return this.inFlight.size;
  }
}
