import { SingleFlight } from './single-flight';

/** A run the spec settles by hand, recording the signal it was given. */
function deferredWork(): {
  work: (signal: AbortSignal) => Promise<string>;
  finish: (value: string) => void;
  signals: AbortSignal[];
} {
  const signals: AbortSignal[] = [];
  let finish: (value: string) => void = () => undefined;
  const work = (signal: AbortSignal): Promise<string> => {
    signals.push(signal);
    return new Promise<string>((resolve) => {
      finish = resolve;
    });
  };
  return { work, finish: (value) => finish(value), signals };
}

/** Settles after every pending promise callback has run. */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('SingleFlight', () => {
  it('shares one run between concurrent callers of a key and forgets it once settled', async () => {
    const flights = new SingleFlight<string>();
    const { work, finish, signals } = deferredWork();
    const a = flights.run('k', work);
    const b = flights.run('k', work);
    expect(signals).toHaveLength(1);
    expect(flights.waitersOf('k')).toBe(2);
    finish('answer');
    await expect(Promise.all([a, b])).resolves.toEqual(['answer', 'answer']);
    expect(flights.size).toBe(0);
    void flights.run('k', work);
    expect(signals).toHaveLength(2);
  });

  it('goes on for the other waiter when one leaves, and gives it the answer', async () => {
    const flights = new SingleFlight<string>();
    const { work, finish, signals } = deferredWork();
    const first = new AbortController();
    const second = new AbortController();
    const left = flights.run('k', work, first.signal);
    const stays = flights.run('k', work, second.signal);
    first.abort(new Error('first caller hung up'));
    await expect(left).rejects.toThrow('first caller hung up');
    expect(signals[0].aborted).toBe(false);
    expect(flights.waitersOf('k')).toBe(1);
    finish('answer');
    await expect(stays).resolves.toBe('answer');
    expect(signals).toHaveLength(1);
    expect(signals[0].aborted).toBe(false);
  });

  it('aborts the run with the last reason once every waiter has left', async () => {
    const flights = new SingleFlight<string>();
    const { work, signals } = deferredWork();
    const first = new AbortController();
    const second = new AbortController();
    const a = flights.run('k', work, first.signal);
    const b = flights.run('k', work, second.signal);
    first.abort(new Error('first left'));
    await expect(a).rejects.toThrow('first left');
    expect(signals[0].aborted).toBe(false);
    second.abort(new Error('second left'));
    await expect(b).rejects.toThrow('second left');
    expect(signals[0].aborted).toBe(true);
    expect((signals[0].reason as Error).message).toBe('second left');
    // The abandoned run is forgotten: a newcomer starts its own instead of joining it.
    expect(flights.size).toBe(0);
    void flights.run('k', work, new AbortController().signal);
    expect(signals).toHaveLength(2);
    expect(signals[1].aborted).toBe(false);
  });

  it('never aborts a run that a caller without a signal waits for', async () => {
    const flights = new SingleFlight<string>();
    const { work, finish, signals } = deferredWork();
    const leaving = new AbortController();
    const a = flights.run('k', work, leaving.signal);
    const b = flights.run('k', work);
    leaving.abort(new Error('gone'));
    await expect(a).rejects.toThrow('gone');
    expect(signals[0].aborted).toBe(false);
    finish('answer');
    await expect(b).resolves.toBe('answer');
  });

  it('refuses a caller that has already left without starting or joining a run', async () => {
    const flights = new SingleFlight<string>();
    const { work, signals } = deferredWork();
    const gone = new AbortController();
    gone.abort(new Error('already gone'));
    await expect(flights.run('k', work, gone.signal)).rejects.toThrow('already gone');
    expect(signals).toHaveLength(0);
    expect(flights.size).toBe(0);
  });

  it('hands every waiter the failure of the run, and a late abort changes nothing', async () => {
    const flights = new SingleFlight<string>();
    const caller = new AbortController();
    let fail: (err: Error) => void = () => undefined;
    const work = () =>
      new Promise<string>((_resolve, reject) => {
        fail = reject;
      });
    const a = flights.run('k', work, caller.signal);
    const b = flights.run('k', work);
    fail(new Error('upstream broke'));
    await expect(a).rejects.toThrow('upstream broke');
    await expect(b).rejects.toThrow('upstream broke');
    caller.abort();
    await flush();
    expect(flights.size).toBe(0);
  });

  it('keeps a run abandoned by everyone from surfacing as an unhandled rejection', async () => {
    const flights = new SingleFlight<string>();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const caller = new AbortController();
      const work = (signal: AbortSignal) =>
        new Promise<string>((_resolve, reject) => {
          signal.addEventListener('abort', () => reject(signal.reason as Error));
        });
      const a = flights.run('k', work, caller.signal);
      caller.abort(new Error('left'));
      await expect(a).rejects.toThrow('left');
      await flush();
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
