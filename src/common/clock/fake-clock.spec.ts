import { SystemClock, timeoutSignal } from './clock';
import { FakeClock } from './fake-clock.fake';

describe('FakeClock', () => {
  const START = Date.parse('2026-01-15T12:00:00Z');
  let sut: FakeClock;
  beforeEach(() => {
    sut = new FakeClock(START);
  });

  it('stands still until advanced', async () => {
    expect(sut.now()).toBe(START);
    await sut.advance(1500);
    expect(sut.now()).toBe(START + 1500);
  });

  it('fires due timers in time order, each at its own instant', async () => {
    const fired: [string, number][] = [];
    sut.setTimer(300, () => fired.push(['c', sut.now()]));
    sut.setTimer(100, () => fired.push(['a', sut.now()]));
    sut.setTimer(200, () => fired.push(['b', sut.now()]));
    sut.setTimer(900, () => fired.push(['late', sut.now()]));
    await sut.advance(99);
    expect(fired).toEqual([]);
    await sut.advance(301);
    expect(fired).toEqual([
      ['a', START + 100],
      ['b', START + 200],
      ['c', START + 300],
    ]);
    expect(sut.now()).toBe(START + 400);
    expect(sut.pending()).toBe(1);
  });

  it('keeps call order for timers due at the same instant', async () => {
    const fired: number[] = [];
    for (let i = 0; i < 5; i++) sut.setTimer(50, () => fired.push(i));
    await sut.advance(50);
    expect(fired).toEqual([0, 1, 2, 3, 4]);
  });

  it('fires a timer set by a callback within the same advance when it falls due', async () => {
    const fired: number[] = [];
    sut.setTimer(100, () => {
      fired.push(sut.now() - START);
      sut.setTimer(100, () => fired.push(sut.now() - START));
    });
    await sut.advance(250);
    expect(fired).toEqual([100, 200]);
  });

  it('never fires a cancelled timer', async () => {
    let fired = false;
    const timer = sut.setTimer(100, () => (fired = true));
    timer.cancel();
    timer.cancel();
    await sut.advance(1000);
    expect(fired).toBe(false);
    expect(sut.pending()).toBe(0);
  });

  it('fires nothing without an advance, not even a 0 ms sleep', async () => {
    let fired = false;
    let woke = false;
    sut.setTimer(0, () => (fired = true));
    void sut.sleep(0).then(() => (woke = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect([fired, woke]).toEqual([false, false]);
    expect(sut.sleeping()).toBe(1);
    await sut.advance(0);
    expect([fired, woke]).toEqual([true, true]);
    expect(sut.now()).toBe(START);
  });

  it('wakes sleepers when time passes their end and records what was asked', async () => {
    let woke = false;
    const sleeping = sut.sleep(250).then(() => (woke = true));
    await sut.advance(249);
    expect(woke).toBe(false);
    await sut.advance(1);
    await sleeping;
    expect(woke).toBe(true);
    expect(sut.sleeps).toEqual([250]);
  });

  it('rejects a sleep with the signal reason on abort and forgets its timer', async () => {
    const controller = new AbortController();
    const sleeping = sut.sleep(1000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(sleeping).rejects.toThrow('stop');
    expect(sut.pending()).toBe(0);
    await expect(sut.sleep(10, controller.signal)).rejects.toThrow('stop');
  });

  it('tells sleeps apart from timeouts', async () => {
    sut.setTimer(100, () => undefined);
    expect(sut.sleeping()).toBe(0);
    let noticed = false;
    const watching = sut.whenSleeping().then(() => (noticed = true));
    await Promise.resolve();
    expect(noticed).toBe(false);
    void sut.sleep(500);
    await watching;
    expect(sut.sleeping()).toBe(1);
    expect(sut.pending()).toBe(2);
  });

  it('waits for a number of sleepers', async () => {
    let noticed = false;
    const watching = sut.whenSleeping(2).then(() => (noticed = true));
    void sut.sleep(100);
    await Promise.resolve();
    expect(noticed).toBe(false);
    void sut.sleep(100);
    await watching;
    expect(sut.sleeping()).toBe(2);
  });

  it('wakes the next sleeper by advancing exactly to its end', async () => {
    let woke = false;
    void sut.sleep(700).then(() => (woke = true));
    expect(await sut.wakeNextSleeper()).toBe(700);
    expect(woke).toBe(true);
    expect(sut.now()).toBe(START + 700);
  });

  it('settles work that sleeps several times, moving time only through its sleeps', async () => {
    const work = async (): Promise<number> => {
      for (const ms of [100, 200, 400]) await sut.sleep(ms);
      return sut.now() - START;
    };
    await expect(sut.settle(work())).resolves.toBe(700);
    await expect(sut.settle(Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  });

  it('lets a timeout fire when a sleep lies beyond it', async () => {
    const events: string[] = [];
    sut.setTimer(150, () => events.push('timeout'));
    await sut.settle(sut.sleep(400).then(() => events.push('woke')));
    expect(events).toEqual(['timeout', 'woke']);
  });

  it('jumps with set() without firing anything', async () => {
    let fired = false;
    sut.setTimer(100, () => (fired = true));
    sut.set(START + 10_000);
    await Promise.resolve();
    expect(fired).toBe(false);
    expect(sut.now()).toBe(START + 10_000);
  });
});

describe('timeoutSignal', () => {
  it('aborts with a TimeoutError when the clock reaches the timeout', async () => {
    const clock = new FakeClock();
    const sut = timeoutSignal(clock, 200);
    await clock.advance(199);
    expect(sut.signal.aborted).toBe(false);
    await clock.advance(1);
    expect(sut.signal.aborted).toBe(true);
    expect(sut.timedOut()).toBe(true);
    expect((sut.signal.reason as DOMException).name).toBe('TimeoutError');
  });

  it('follows its parent, with the parent reason, and is not a timeout then', () => {
    const clock = new FakeClock();
    const parent = new AbortController();
    const sut = timeoutSignal(clock, 200, parent.signal);
    parent.abort(new Error('caller left'));
    expect(sut.signal.reason).toEqual(new Error('caller left'));
    expect(sut.timedOut()).toBe(false);
    expect(clock.pending()).toBe(0);
    const already = timeoutSignal(clock, 200, parent.signal);
    expect(already.signal.aborted).toBe(true);
    expect(clock.pending()).toBe(0);
  });

  it('leaves nothing pending once disposed', async () => {
    const clock = new FakeClock();
    const parent = new AbortController();
    const sut = timeoutSignal(clock, 200, parent.signal);
    sut.dispose();
    expect(clock.pending()).toBe(0);
    parent.abort();
    await clock.advance(1000);
    expect(sut.signal.aborted).toBe(false);
  });
});

describe('SystemClock', () => {
  it('reads the wall clock', () => {
    const before = Date.now();
    const now = new SystemClock().now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('runs a timer and can cancel one', async () => {
    const sut = new SystemClock();
    let cancelledFired = false;
    sut.setTimer(0, () => (cancelledFired = true)).cancel();
    await new Promise<void>((resolve) => sut.setTimer(1, resolve));
    expect(cancelledFired).toBe(false);
  });

  it('rejects an aborted sleep', async () => {
    const controller = new AbortController();
    const sleeping = new SystemClock().sleep(60_000, controller.signal);
    controller.abort(new Error('shutdown'));
    await expect(sleeping).rejects.toThrow('shutdown');
  });
});
