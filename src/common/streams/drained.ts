import type { Writable } from 'node:stream';

/**
 * Resolves on the stream's next 'drain', or once it closes (destroyed or failed: the writer
 * then stops, and the stream's error reaches whoever awaits its pipeline). Unlike
 * `once(stream, 'drain')` it never waits forever on a stream that will not drain again.
 */
export function drained(stream: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.once('drain', done);
    stream.once('close', done);
  });
}
