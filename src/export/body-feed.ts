import { finished, type Readable } from 'node:stream';
import { createGunzip, type Gunzip } from 'node:zlib';
import {
  endsArrayBuffer,
  ownsArrayBuffer,
  releaseArrayBuffer,
} from '../common/collections/release-buffer';
import { ownCopy } from './window-scan.protocol';

/** Too large an inflated download: refused before it fills the disk. */
export class DownloadTooLargeError extends Error {
  constructor(maxBytes: number) {
    super(`the download inflates beyond EXPORT_MAX_DECOMPRESSED_BYTES (${maxBytes} bytes)`);
    this.name = 'DownloadTooLargeError';
  }
}

/** Where a BodyFeed hands its chunks; after `end` or `fail` nothing more comes. */
export interface BodyFeedTarget {
  /**
   * Bytes in their own ArrayBuffer (so they can be moved to another thread). `bodyBytes`: the
   * download bytes read so far for this and every earlier chunk, compressed ones when inflated.
   */
  chunk(data: Uint8Array, bodyBytes: number): void;
  end(): void;
  fail(err: unknown): void;
}

export interface BodyFeedOptions {
  body: Readable;
  target: BodyFeedTarget;
  /**
   * Inflate a gzip body (by this header flag or its magic bytes) and cap the plain bytes; when
   * absent the body's bytes go on as they came (a scan worker that decodes its format itself).
   */
  decode?: { gzipHeader: boolean; maxDecompressedBytes: number };
}

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;
/**
 * Inflated chunks handed on: zlib's output slices share its 256 KiB output buffers (it fills
 * one slice by slice), so they are copied into buffers of their own, filled up to this size
 * (fewer, equal messages rather than one per slice).
 */
export const INFLATED_CHUNK_BYTES = 256 * 1024;
/**
 * Body chunks queued in gunzip before the body is paused. Pausing at gunzip's own high-water
 * mark and resuming on 'drain' lets it run empty before the next chunk is read, so the socket
 * and zlib take turns (see WriteAhead); this keeps the next chunks waiting in it instead.
 */
const INFLATE_WRITES_AHEAD = 4;
/** Handed-back buffers kept for reuse: as many as can be in flight to the worker, and a few. */
const MAX_SPARE_BUFFERS = 24;

/**
 * Reads a download body for a scan worker: chunk by chunk as it arrives, inflated here when it
 * is gzip, so the worker (the critical path of a large export) gets plain bytes and none of
 * zlib's JavaScript side. The body is paused while the target is (`pause`, `resume`: the
 * worker's acknowledgements), through gunzip when inflating. Ends with exactly one `end` or
 * `fail` (a body, zlib or size error); `destroy` stops it without either.
 */
export class BodyFeed {
  private mode: 'sniff' | 'plain' | 'gzip' = 'sniff';
  private readonly head: Buffer[] = [];
  private gunzip: Gunzip | null = null;
  /** Body bytes read so far, when they go on as they came (gunzip counts its own). */
  private bodyBytes = 0;
  /** Plain bytes handed on, for the cap. */
  private plainBytes = 0;
  private writesAhead = 0;
  private held = false;
  private done = false;
  private filling: Buffer | null = null;
  /** Buffers the worker handed back, to fill again. */
  private readonly spare: Buffer[] = [];
  private filled = 0;

  constructor(private readonly options: BodyFeedOptions) {
    const { body } = options;
    body.on('data', (chunk: Buffer) => this.onBody(chunk));
    // Ends with 'end', an error, or a premature close (reported as an error too).
    finished(body, (err) => (err ? this.fail(err) : this.onBodyEnd()));
  }

  /** Stops handing chunks on until `resume`. */
  pause(): void {
    this.held = true;
    if (this.gunzip) this.gunzip.pause();
    else this.options.body.pause();
  }

  resume(): void {
    this.held = false;
    if (this.gunzip) this.gunzip.resume();
    else if (this.options.body.isPaused()) this.options.body.resume();
  }

  /**
   * Takes back buffers of chunks handed on: the inflated ones are filled again, the rest freed
   * (this thread allocated them, so they are freed at once here; see releaseArrayBuffer).
   */
  recycle(buffers: ArrayBuffer[]): void {
    for (const buffer of buffers) {
      const reuse = this.gunzip && buffer.byteLength === INFLATED_CHUNK_BYTES;
      if (reuse && this.spare.length < MAX_SPARE_BUFFERS) this.spare.push(Buffer.from(buffer));
      else releaseArrayBuffer(buffer);
    }
  }

  /** Stops reading (the body is the caller's to destroy). */
  destroy(): void {
    this.done = true;
    this.gunzip?.destroy();
  }

  private onBody(chunk: Buffer): void {
    if (this.done) return;
    if (this.mode === 'sniff') return this.sniff(chunk);
    if (this.mode === 'gzip') return this.inflate(chunk);
    this.bodyBytes += chunk.length;
    this.handOn(ownsArrayBuffer(chunk) ? chunk : ownCopy(chunk), this.bodyBytes);
  }

  /** Waits for two bytes (the gzip magic), then decides how the body goes on. */
  private sniff(chunk: Buffer | null): void {
    if (chunk) this.head.push(chunk);
    const length = this.head.reduce((sum, part) => sum + part.length, 0);
    if (chunk && length < 2) return;
    const decode = this.options.decode;
    const first = this.head.length === 1 ? this.head[0] : Buffer.concat(this.head);
    this.head.length = 0;
    const magic = first[0] === GZIP_MAGIC_0 && first[1] === GZIP_MAGIC_1;
    this.mode = decode && (decode.gzipHeader || magic) ? 'gzip' : 'plain';
    if (this.mode === 'gzip') this.startGunzip();
    if (length > 0) this.onBody(first);
  }

  private startGunzip(): void {
    const gunzip = createGunzip({ chunkSize: INFLATED_CHUNK_BYTES });
    this.gunzip = gunzip;
    if (this.held) gunzip.pause();
    gunzip.on('data', (out: Buffer) => this.collect(out, gunzip.bytesWritten));
    gunzip.on('error', (err) => this.fail(err));
    gunzip.once('end', () => {
      this.flush(gunzip.bytesWritten);
      this.finish();
    });
  }

  /**
   * Into gunzip, pausing the body while INFLATE_WRITES_AHEAD chunks are not taken in yet. A
   * socket read owns its buffer: once zlib has taken it in, it is freed (see collect).
   */
  private inflate(chunk: Buffer): void {
    const { body } = this.options;
    const owned = ownsArrayBuffer(chunk);
    this.writesAhead += 1;
    if (this.writesAhead >= INFLATE_WRITES_AHEAD) body.pause();
    this.gunzip!.write(chunk, (err) => {
      if (!err && owned) releaseArrayBuffer(chunk.buffer as ArrayBuffer);
      this.writesAhead -= 1;
      if (this.writesAhead < INFLATE_WRITES_AHEAD && body.isPaused()) body.resume();
    });
  }

  /** zlib's slice copied into the buffer being filled; each full buffer is handed on. */
  private collect(out: Buffer, bodyBytes: number): void {
    if (this.done) return;
    let at = 0;
    while (at < out.length) {
      // Never from Node's shared pool: it is moved to the worker whole.
      this.filling ??= this.spare.pop() ?? Buffer.allocUnsafeSlow(INFLATED_CHUNK_BYTES);
      const take = Math.min(out.length - at, INFLATED_CHUNK_BYTES - this.filled);
      this.filling.set(out.subarray(at, at + take), this.filled);
      this.filled += take;
      at += take;
      if (this.filled === INFLATED_CHUNK_BYTES) this.flush(bodyBytes);
    }
    // The slice that ends one of zlib's output buffers: zlib has gone on to a new one, and the
    // copy is made, so it is freed now (this thread hardly collects garbage during an export:
    // left to the GC, the download's inflated size in 256 KiB buffers piles up as RSS).
    if (endsArrayBuffer(out)) releaseArrayBuffer(out.buffer as ArrayBuffer);
  }

  private flush(bodyBytes: number): void {
    const data = this.filling;
    if (!data || this.filled === 0 || this.done) return;
    const length = this.filled;
    this.filling = null;
    this.filled = 0;
    this.handOn(length === data.length ? data : data.subarray(0, length), bodyBytes);
  }

  /** Plain bytes to the target, under the cap. */
  private handOn(data: Uint8Array, bodyBytes: number): void {
    const decode = this.options.decode;
    this.plainBytes += data.length;
    if (decode && this.plainBytes > decode.maxDecompressedBytes) {
      return this.fail(new DownloadTooLargeError(decode.maxDecompressedBytes));
    }
    this.options.target.chunk(data, bodyBytes);
  }

  private onBodyEnd(): void {
    if (this.done) return;
    if (this.mode === 'sniff') this.sniff(null);
    if (this.gunzip) this.gunzip.end();
    else this.finish();
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.options.target.end();
  }

  private fail(err: unknown): void {
    if (this.done) return;
    this.destroy();
    this.options.target.fail(err);
  }
}
