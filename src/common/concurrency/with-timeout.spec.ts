import { FakeClock } from '../clock/fake-clock.fake';
import { TimeoutError, withTimeout } from './with-timeout';

describe('withTimeout', () => {
  it('settles like the promise when it wins, leaving no timer behind', async () => {
    const clock = new FakeClock();
    await expect(withTimeout(Promise.resolve('ok'), { ms: 100, clock })).resolves.toBe('ok');
    await expect(
      withTimeout(Promise.reject(new Error('boom')), { ms: 100, clock }),
    ).rejects.toThrow('boom');
    expect(clock.pending()).toBe(0);
  });

  it('rejects with a TimeoutError naming the operation once the clock passes the deadline', async () => {
    const clock = new FakeClock();
    const never = new Promise<string>(() => undefined);
    const raced = withTimeout(never, { ms: 100, clock, what: 'ping' });
    await clock.advance(99);
    const early = await Promise.race([raced.then(() => 'settled'), Promise.resolve('pending')]);
    expect(early).toBe('pending');
    await clock.advance(1);
    await expect(raced).rejects.toEqual(new TimeoutError('ping', 100));
  });
});
