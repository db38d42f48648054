import { endsArrayBuffer, ownsArrayBuffer, releaseArrayBuffer } from './release-buffer';

describe('releaseArrayBuffer', () => {
  it('detaches the buffer (its memory is dropped with the message)', () => {
    const buffer = new ArrayBuffer(1 << 20);
    releaseArrayBuffer(buffer);
    expect(buffer.byteLength).toBe(0);
  });

  it('tells which views may be released: a whole buffer, or the slice that ends a big one', () => {
    const own = Buffer.allocUnsafeSlow(64 * 1024);
    expect(ownsArrayBuffer(own)).toBe(true);
    expect(ownsArrayBuffer(own.subarray(1))).toBe(false);
    expect(endsArrayBuffer(own.subarray(1000))).toBe(true);
    expect(endsArrayBuffer(own.subarray(0, 1000))).toBe(false);
    // A small Buffer lives in Node's shared pool: never released, even as its last slice.
    const pooled = Buffer.allocUnsafe(16);
    expect(ownsArrayBuffer(pooled)).toBe(false);
    expect(endsArrayBuffer(Buffer.from(pooled.buffer, pooled.buffer.byteLength - 8))).toBe(false);
    expect(ownsArrayBuffer(new Uint8Array(new SharedArrayBuffer(8)))).toBe(false);
  });
});
