import { WriteStream } from 'node:fs';
import { extname, join } from 'node:path';
import { type Readable, type Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { Worker } from 'node:worker_threads';
import { createGzip, type Gzip } from 'node:zlib';
import { CompactKeySet } from '../common/collections/compact-key-set';
import { endsArrayBuffer, releaseArrayBuffer } from '../common/collections/release-buffer';
import { workerStart } from '../common/threads/worker-start';
import { BodyFeed } from './body-feed';
import type { WindowScanResult } from './window-scan';
import {
  fromErrorShape,
  type FromScanWorker,
  type ScanReport,
  type ScanWorkerData,
  type ScanWorkerModule,
  type ToScanWorker,
} from './window-scan.protocol';

/** The JSON window scan (window-scan.worker), or another format's scan worker. */
export type HostedScanInput = HostedScanCommon &
  ({ gzipHeader: boolean; maxDecompressedBytes: number } | { worker: ScanWorkerModule });

interface HostedScanCommon {
  body: Readable;
  committed: CompactKeySet | null;
  /** Content-Length of the body, when the server sent one (a size hint for the id table). */
  bodyBytes?: number;
  sink: Writable;
  signal?: AbortSignal;
}

/**
 * Body chunks posted to the worker and not yet acknowledged (it acknowledges eight at a time):
 * socket reads as they came for another format's worker, 256 KiB inflated ones for JSON.
 */
const MAX_IN_IN_FLIGHT = 16;

/** The worker's entry module, beside this file (compiled or TypeScript alike). */
const WORKER_ENTRY = join(__dirname, 'window-scan.worker');
/**
 * The result file's compression, applied here rather than in the worker: the worker's thread is
 * the critical path of a large export (parsing, checks, de-duplication), and zlib's own
 * JavaScript side — a call per buffer in and per 256 KiB out, its callbacks — took ≈ 4–17 %
 * of it, while this thread mostly waits. The deflate itself runs on the libuv pool either way.
 * Level 1: the file is read back by the gateway alone, and speed matters more than size.
 */
export const RESULT_GZIP = {
  level: 1,
  chunkSize: 256 * 1024,
  // Room for every buffer the worker may have in flight (MAX_OUT_IN_FLIGHT of up to ~290 KiB).
  writableHighWaterMark: 2 * 1024 * 1024,
};
/** A small young generation: its garbage (parsed records) dies at once, and a big one is RSS. */
const RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 4 };

/**
 * Runs one window's scan (see scanWindow) in a worker thread: the main thread moves bytes —
 * body chunks in (inflated here when the JSON body is gzip, see BodyFeed), NDJSON chunks out —
 * and gzips the NDJSON into `sink` (RESULT_GZIP), so scanning, JSON.parse, validation and
 * dedupe leave the event loop, and the worker, the critical path, has no zlib work at all.
 * `committed` is shared with the worker without a copy (it must not change until this
 * settles); the window's ids come back the same way. Rejects with the worker's error (same
 * name, message, code), a body or sink error, or the signal's reason; on any failure the worker
 * is stopped and body and sink are destroyed.
 */
export function runHostedScan(input: HostedScanInput): Promise<HostedScanResult> {
  const { body, sink, signal } = input;
  if (signal?.aborted) {
    // Abandoned: a late error of either (a file that failed to open) must not go unhandled.
    body.on('error', () => undefined).destroy();
    sink.on('error', () => undefined).destroy();
    return Promise.reject(signal.reason as Error);
  }
  return new Promise<HostedScanResult>((resolve, reject) => new HostedScan(input, resolve, reject));
}

export interface HostedScanResult extends WindowScanResult {
  /** What a scan worker of another format reported (see ScanReport). */
  report?: ScanReport;
}

/** One hosted scan's plumbing: the worker's messages, the body feeder and the way out. */
class HostedScan {
  private readonly worker: Worker;
  /** The worker's NDJSON compressed into the sink, here (see RESULT_GZIP). */
  private readonly gzip: Gzip;
  private feed!: BodyFeed;
  private settled = false;
  private scanned = false;
  private inFlight = 0;
  private readonly onAbort = () => this.fail(this.input.signal?.reason);

  constructor(
    private readonly input: HostedScanInput,
    private readonly resolve: (result: HostedScanResult) => void,
    private readonly reject: (reason: unknown) => void,
  ) {
    const { sink, body, signal } = input;
    const committed = input.committed ? input.committed.share() : null;
    const options = { resourceLimits: RESOURCE_LIMITS };
    let start: ReturnType<typeof workerStart>;
    if ('worker' in input) {
      const { entry, callerExt, data, youngGenerationMb } = input.worker;
      const limits = youngGenerationMb ? { maxYoungGenerationSizeMb: youngGenerationMb } : {};
      start = workerStart(
        entry,
        callerExt,
        { ...data, committed },
        {
          resourceLimits: { ...RESOURCE_LIMITS, ...limits },
        },
      );
    } else {
      const data: ScanWorkerData = {
        committed,
        bodyBytes: input.bodyBytes,
      };
      start = workerStart(WORKER_ENTRY, extname(__filename), data, options);
    }
    this.worker = new Worker(start.code, start.options);
    this.gzip = createGzip(RESULT_GZIP);
    this.compressInto(sink);
    signal?.addEventListener('abort', this.onAbort, { once: true });
    // Stay attached after settling, so a late error of the abandoned streams is not unhandled.
    this.gzip.on('error', (err) => this.fail(err));
    sink.on('error', (err) => this.fail(err));
    body.on('error', (err) => this.fail(err));
    this.worker.on('message', (message: FromScanWorker) => this.onMessage(message));
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) => {
      if (!this.scanned) this.fail(new Error(`the export scan worker stopped (exit code ${code})`));
    });
    this.startFeed();
  }

  private onMessage(message: FromScanWorker): void {
    switch (message.type) {
      case 'inAck':
        return this.onAcknowledged(message.chunks, message.buffers);
      case 'out':
        return this.write(message.data);
      case 'done':
        return this.finish(message.counts, CompactKeySet.adopt(message.ids), message.report);
      case 'error':
        return this.fail(fromErrorShape(message.error));
    }
  }

  /**
   * gzip's output into the sink, by hand rather than piped: once a file stream has written the
   * last slice of one of zlib's 256 KiB output buffers, the buffer is freed at once (see
   * releaseArrayBuffer). Left to this thread's GC, which a large export hardly triggers, they
   * added ≈ 20–30 MB to the peak RSS of a million-row export. Any other Writable may keep a
   * reference to a chunk after its callback (a PassThrough does), so only a file's are freed.
   */
  private compressInto(sink: Writable): void {
    const releasable = sink instanceof WriteStream;
    this.gzip.on('data', (chunk: Buffer) => {
      const release = releasable && endsArrayBuffer(chunk);
      const more = sink.write(chunk, (err) => {
        if (!err && release) releaseArrayBuffer(chunk.buffer as ArrayBuffer);
      });
      if (!more) {
        this.gzip.pause();
        sink.once('drain', () => this.gzip.resume());
      }
    });
    this.gzip.once('end', () => sink.end());
  }

  /** NDJSON from the worker into gzip; once zlib has taken it in, the buffer goes back. */
  private write(data: Uint8Array): void {
    const chunk = Buffer.from(data.buffer, data.byteOffset, data.length);
    this.gzip.write(chunk, (err) => {
      if (!err) this.post({ type: 'outAck', data }, [data.buffer as ArrayBuffer]);
    });
  }

  private finish(counts: WindowScanResult['counts'], ids: CompactKeySet, report?: ScanReport) {
    this.scanned = true;
    const { sink } = this.input;
    // Its 'end' ends the sink (compressInto).
    this.gzip.end();
    finished(sink).then(
      () => {
        if (this.settled) return;
        this.cleanup();
        this.resolve(report ? { counts, ids, report } : { counts, ids });
      },
      (err: unknown) => this.fail(err),
    );
  }

  /**
   * Moves body chunks to the worker as they arrive ('data' events, one chunk each: an async
   * iterator's read() would join whatever is buffered into a new buffer and leave the parts as
   * garbage), pausing the body while MAX_IN_IN_FLIGHT are unacknowledged. A socket read of the
   * body owns its ArrayBuffer, so it is moved, not copied: joining reads into bigger buffers
   * (fewer messages) copied each one and left it as garbage on this thread until its next GC,
   * for no measurable speed. A JSON body is inflated here first (BodyFeed).
   */
  private startFeed(): void {
    const { input } = this;
    const decode =
      'worker' in input
        ? undefined
        : { gzipHeader: input.gzipHeader, maxDecompressedBytes: input.maxDecompressedBytes };
    this.feed = new BodyFeed({
      body: input.body,
      decode,
      target: {
        chunk: (data, bodyBytes) => {
          if (this.settled) return;
          this.post({ type: 'chunk', data, bodyBytes }, [data.buffer as ArrayBuffer]);
          this.inFlight += 1;
          if (this.inFlight >= MAX_IN_IN_FLIGHT) this.feed.pause();
        },
        end: () => this.post({ type: 'end' }),
        fail: (err) => this.fail(err),
      },
    });
  }

  private onAcknowledged(chunks: number, buffers: ArrayBuffer[]): void {
    this.feed.recycle(buffers);
    this.inFlight -= chunks;
    if (this.inFlight < MAX_IN_IN_FLIGHT) this.feed.resume();
  }

  private post(message: ToScanWorker, transfer?: ArrayBuffer[]): void {
    if (!this.settled) this.worker.postMessage(message, transfer);
  }

  private fail(err: unknown): void {
    if (this.settled) return;
    this.cleanup();
    this.feed.destroy();
    this.input.body.destroy();
    this.gzip.destroy();
    this.input.sink.destroy();
    this.reject(err);
  }

  private cleanup(): void {
    this.settled = true;
    this.input.signal?.removeEventListener('abort', this.onAbort);
    void this.worker.terminate();
  }
}
