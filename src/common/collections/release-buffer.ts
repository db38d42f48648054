import { MessageChannel, type MessagePort } from 'node:worker_threads';

let drain: MessagePort | null = null;

/**
 * Frees an ArrayBuffer's memory now instead of at the garbage collector's convenience: it is
 * transferred into a message port whose other end is closed, so the message, and the memory
 * moved into it, is dropped at once. Left to the GC, the large buffers a stream goes through
 * (zlib chunks, replaced hash tables) pile up as "external memory" until V8's external limit
 * forces a collection — tens of MB of resident memory per thread during a large export.
 * Afterwards `buffer` is detached (length 0): only for buffers nothing else reads any more.
 */
export function releaseArrayBuffer(buffer: ArrayBuffer): void {
  if (!drain) {
    const { port1, port2 } = new MessageChannel();
    port2.close();
    port1.unref();
    drain = port1;
  }
  drain.postMessage(null, [buffer]);
}

/** Whether `bytes` is alone in its (non-shared) ArrayBuffer, so releasing it frees only them. */
export function ownsArrayBuffer(bytes: Uint8Array): boolean {
  return (
    !(bytes.buffer instanceof SharedArrayBuffer) &&
    bytes.byteOffset === 0 &&
    bytes.byteLength === bytes.buffer.byteLength
  );
}

/**
 * Whether `bytes` is the last slice of its own (non-shared, not Node's shared pool) ArrayBuffer.
 * zlib fills one output buffer slice by slice and starts a new one when it is full, so once the
 * slice that ends it has been consumed in order, the whole buffer is free.
 */
export function endsArrayBuffer(bytes: Uint8Array): boolean {
  return (
    !(bytes.buffer instanceof SharedArrayBuffer) &&
    bytes.buffer.byteLength > Buffer.poolSize &&
    bytes.byteOffset + bytes.byteLength === bytes.buffer.byteLength
  );
}
