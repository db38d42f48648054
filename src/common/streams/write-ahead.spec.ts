import { Writable } from 'node:stream';
import { WriteAhead } from './write-ahead';

/** A stream whose writes finish only when the test says so. */
function heldStream() {
  const held: ((err?: Error | null) => void)[] = [];
  const stream = new Writable({
    highWaterMark: 1 << 30,
    write(_chunk, _encoding, callback) {
      held.push(callback);
    },
  });
  return { stream, finishNext: () => held.shift()?.() };
}

/** Whether `promise` has settled once the microtasks queued so far have run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('WriteAhead', () => {
  it('lets depth − 1 writes wait in the stream and holds the writer at the depth-th', async () => {
    const { stream, finishNext } = heldStream();
    const queue = new WriteAhead(stream, 3);
    const taken: string[] = [];
    expect(await settled(queue.write(Buffer.from('a'), () => taken.push('a')))).toBe(true);
    expect(await settled(queue.write(Buffer.from('b'), () => taken.push('b')))).toBe(true);
    const third = queue.write(Buffer.from('c'), () => taken.push('c'));
    expect(await settled(third)).toBe(false);
    finishNext();
    expect(await settled(third)).toBe(true);
    expect(taken).toEqual(['a']);
    finishNext();
    finishNext();
    await new Promise((resolve) => setImmediate(resolve));
    expect(taken).toEqual(['a', 'b', 'c']);
  });

  it('does not wait forever on a stream that was destroyed with writes unfinished', async () => {
    const { stream } = heldStream();
    const queue = new WriteAhead(stream, 2);
    const taken: string[] = [];
    await queue.write(Buffer.from('a'), () => taken.push('a'));
    const second = queue.write(Buffer.from('b'), () => taken.push('b'));
    expect(await settled(second)).toBe(false);
    stream.on('error', () => undefined);
    stream.destroy(new Error('disk full'));
    await second;
    expect(taken).toEqual([]);
  });
});
