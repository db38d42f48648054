import { setMaxListeners } from 'node:events';

/** One shared run and the callers still waiting for it. */
interface Flight<T> {
  readonly promise: Promise<T>;
  readonly controller: AbortController;
  waiters: number;
}

/**
 * Identical concurrent work shares one run: while a run for a key is in flight, later callers
 * wait for the same result. The key is forgotten once the run settles, so the next caller
 * (after a cache write the run awaited) starts afresh.
 *
 * The run gets its own AbortSignal, which fires only when every caller waiting for it has gone:
 * a caller that passes a signal stops waiting when it aborts (its promise rejects with the
 * signal's reason) while the run goes on for the others; the last one to leave aborts the run,
 * with its reason. A caller without a signal never leaves, so its run is never aborted. An
 * abandoned run is forgotten at once: a caller arriving after that starts a new one instead of
 * joining work that is stopping.
 */
export class SingleFlight<T> {
  private readonly inFlight = new Map<string, Flight<T>>();

  run(key: string, work: (signal: AbortSignal) => Promise<T>, caller?: AbortSignal): Promise<T> {
    if (caller?.aborted) return Promise.reject(reasonOf(caller));
    const flight = this.inFlight.get(key) ?? this.start(key, work);
    flight.waiters += 1;
    if (!caller) return flight.promise;
    return new Promise<T>((resolve, reject) => {
      const leave = (): void => {
        reject(reasonOf(caller));
        this.leave(key, flight, caller);
      };
      caller.addEventListener('abort', leave, { once: true });
      flight.promise.then(
        (value) => {
          caller.removeEventListener('abort', leave);
          resolve(value);
        },
        (err: Error) => {
          caller.removeEventListener('abort', leave);
          reject(err);
        },
      );
    });
  }

  /** Runs in flight (abandoned ones excluded). */
  get size(): number {
    return this.inFlight.size;
  }

  /** Callers waiting for the run of `key` (0 when none is in flight). */
  waitersOf(key: string): number {
    return this.inFlight.get(key)?.waiters ?? 0;
  }

  private start(key: string, work: (signal: AbortSignal) => Promise<T>): Flight<T> {
    const controller = new AbortController();
    // Every upstream call of the run may listen to it: many more than Node's default 10.
    setMaxListeners(10_000, controller.signal);
    let started: Promise<T>;
    try {
      started = work(controller.signal);
    } catch (err) {
      started = Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    const promise = started.finally(() => {
      if (this.inFlight.get(key) === flight) this.inFlight.delete(key);
    });
    // Once every caller has left nobody reads the outcome; it must not surface as unhandled.
    promise.catch(() => undefined);
    const flight: Flight<T> = { promise, controller, waiters: 0 };
    this.inFlight.set(key, flight);
    return flight;
  }

  private leave(key: string, flight: Flight<T>, caller: AbortSignal): void {
    flight.waiters -= 1;
    if (flight.waiters > 0) return;
    if (this.inFlight.get(key) === flight) this.inFlight.delete(key);
    flight.controller.abort(caller.reason);
  }
}

function reasonOf(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error('the caller stopped waiting');
}
