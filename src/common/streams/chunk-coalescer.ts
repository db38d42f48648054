import { ownsArrayBuffer } from '../collections/release-buffer';

/**
 * Joins small chunks into buffers of at least `size` bytes, each alone in its ArrayBuffer (so
 * it can be transferred to another thread). An HTTP body arrives in ~32 KiB socket reads; handed
 * to a worker one by one, each costs a message, an acknowledgement and a parse step there, which
 * on a 200 MB download was a tenth of the worker's time. A chunk of `size` or more passes as it
 * is (copied only when it shares its ArrayBuffer).
 */
export class ChunkCoalescer {
  private buffer: Buffer | null = null;
  private filled = 0;

  constructor(private readonly size: number) {}

  /** Takes `chunk` in; returns the buffers that are full now, in order (often none). */
  push(chunk: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    if (chunk.length >= this.size) {
      const pending = this.flush();
      if (pending) out.push(pending);
      out.push(ownsArrayBuffer(chunk) ? chunk : Uint8Array.prototype.slice.call(chunk));
      return out;
    }
    let offset = 0;
    while (offset < chunk.length) {
      this.buffer ??= Buffer.allocUnsafeSlow(this.size);
      const n = Math.min(chunk.length - offset, this.size - this.filled);
      this.buffer.set(chunk.subarray(offset, offset + n), this.filled);
      this.filled += n;
      offset += n;
      if (this.filled === this.size) out.push(this.take());
    }
    return out;
  }

  /** What was taken in and not handed out yet (at the end of the body), or null. */
  flush(): Uint8Array | null {
    return this.filled > 0 ? this.take() : null;
  }

  private take(): Uint8Array {
    const full = this.buffer!;
    const length = this.filled;
    this.buffer = null;
    this.filled = 0;
    return length === full.length ? full : full.subarray(0, length);
  }
}
