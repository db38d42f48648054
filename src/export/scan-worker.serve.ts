import { Writable } from 'node:stream';
import type { MessagePort } from 'node:worker_threads';
import { CompactKeySet } from '../common/collections/compact-key-set';
import type { SharedKeySet } from '../common/collections/compact-key-set';
import { ownsArrayBuffer, releaseArrayBuffer } from '../common/collections/release-buffer';
import type { ExportCounts } from './export.types';
import {
  toErrorShape,
  type FromScanWorker,
  type ScanReport,
  type ToScanWorker,
} from './window-scan.protocol';

/** NDJSON chunks posted and not yet taken in by the main thread's gzip before the scan waits. */
const MAX_OUT_IN_FLIGHT = 4;
/** Capacity of the buffers NDJSON chunks are copied into (scans write ≈ 256 KiB at a time). */
const OUTPUT_BUFFER_BYTES = 512 * 1024;
/**
 * Body chunks taken per `inAck` (the host keeps at most twice that many in flight): a socket
 * read is ≈ 32 KiB, and one message per four of them was ≈ 3 % of the CSV scan worker's time.
 */
const ACK_EVERY = 8;

/** What one scan gives back: the counts, the ids it kept and, for some scans, a report. */
export interface ServedScanResult {
  counts: ExportCounts;
  ids: CompactKeySet;
  report?: ScanReport;
}

/** The body chunks of a hosted scan, and how far into the download they have come. */
export interface ScanInput extends AsyncIterable<Buffer> {
  /** Download bytes read for the chunks taken so far (compressed ones when the host inflates). */
  readonly bodyBytes: number;
  /**
   * Says the scan is done with a chunk it took (nothing reads its bytes any more): its buffer
   * goes back to the main thread with the next acknowledgement, to be filled again there.
   */
  release(chunk: Buffer): void;
}

/**
 * A scan from body bytes to NDJSON: `input` is the download's body, `committed` the ids of
 * earlier windows (read only), `output` where the NDJSON bytes go (the host gzips them into the
 * result file). A buffer written to `output` may be moved to the main thread (then it is
 * detached here: a scan that recycles its buffers must check) or copied.
 */
export type ScanFunction = (
  input: ScanInput,
  committed: CompactKeySet | null,
  output: Writable,
) => Promise<ServedScanResult>;

/**
 * The worker side of a hosted scan (see runHostedScan): runs `scan` on the body chunks the main
 * thread posts and posts the NDJSON back, both ways with acknowledgements so neither side
 * buffers more than a few chunks. It ends with `done` or `error`. Each scan worker entry (the
 * JSON window scan, the incontact CSV scan) is this plus its scan function.
 */
export function serveScan(
  port: MessagePort,
  committedShared: SharedKeySet | null,
  scan: ScanFunction,
): void {
  const post = (message: FromScanWorker, transfer?: ArrayBuffer[]) =>
    port.postMessage(message, transfer);
  let taken = 0;
  const input = new ChunkQueue(() => {
    // Acknowledged in batches: one message per chunk costs more than the chunk's bookkeeping.
    if (++taken === ACK_EVERY) {
      const buffers = input.takeReleased();
      post({ type: 'inAck', chunks: taken, buffers }, buffers);
      taken = 0;
    }
  });
  let outInFlight = 0;
  let resumeOutput: (() => void) | null = null;
  /** Output buffers the main thread gave back (written to a file, free to fill again). */
  const returned: ArrayBuffer[] = [];
  const output = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      const data = outputCopy(chunk, returned);
      post({ type: 'out', data }, [data.buffer as ArrayBuffer]);
      outInFlight += 1;
      if (outInFlight < MAX_OUT_IN_FLIGHT) callback();
      else resumeOutput = () => callback();
    },
  });
  port.on('message', (message: ToScanWorker) => {
    switch (message.type) {
      case 'chunk': {
        const { data, bodyBytes } = message;
        return input.push(Buffer.from(data.buffer, data.byteOffset, data.length), bodyBytes);
      }
      case 'end':
        return input.end();
      case 'outAck': {
        // A few spares are enough (the host has at most MAX_OUT_IN_FLIGHT); the rest is freed.
        if (message.data && returned.length < MAX_OUT_IN_FLIGHT)
          returned.push(message.data.buffer as ArrayBuffer);
        else if (message.data) releaseArrayBuffer(message.data.buffer as ArrayBuffer);
        outInFlight -= 1;
        const resume = resumeOutput;
        resumeOutput = null;
        resume?.();
        return;
      }
    }
  });
  const committed = committedShared ? CompactKeySet.fromShared(committedShared) : null;
  scan(input, committed, output).then(
    ({ counts, ids, report }) => {
      const handed = ids.handOver();
      post({ type: 'done', counts, ids: handed.state, report }, handed.transfer);
      port.close();
    },
    (err: unknown) => {
      post({ type: 'error', error: toErrorShape(err) });
      port.close();
    },
  );
}

/**
 * The bytes to post for one NDJSON chunk: a buffer it fills alone is moved as it is; a part of
 * one (the scan fills it again) is copied into a buffer the main thread gave back when one is
 * big enough, else into a new one. The main thread gzips and hands every buffer back, so an
 * export reuses a few rather than leaving one per chunk to either side's GC.
 */
function outputCopy(chunk: Buffer, returned: ArrayBuffer[]): Uint8Array {
  if (ownsArrayBuffer(chunk)) return chunk;
  const spare = returned.pop();
  const fits = spare !== undefined && spare.byteLength >= chunk.length;
  if (spare && !fits) releaseArrayBuffer(spare);
  // New buffers get room to spare, so that the next chunks, a few bytes longer, fit them too.
  const target = fits ? spare : new ArrayBuffer(Math.max(chunk.length, OUTPUT_BUFFER_BYTES));
  const view = new Uint8Array(target, 0, chunk.length);
  view.set(chunk);
  return view;
}

/** Body chunks as an async iterable; each chunk taken is acknowledged to the sender. */
export class ChunkQueue implements ScanInput {
  private readonly chunks: Buffer[] = [];
  /** The `bodyBytes` of each queued chunk, in the same order. */
  private readonly progress: number[] = [];
  /** Buffers of chunks the scan released, not yet handed back. */
  private released: ArrayBuffer[] = [];
  private ended = false;
  private waiting: (() => void) | null = null;
  private takenBodyBytes = 0;

  constructor(private readonly onTaken: () => void) {}

  get bodyBytes(): number {
    return this.takenBodyBytes;
  }

  /**
   * Each chunk posted came in a buffer of its own. A main thread's buffer released here (see
   * releaseArrayBuffer) stayed allocated until this thread's next full GC — ≈ 200 MB at times
   * during a million-record export — so it goes back instead, where it is reused or freed.
   */
  release(chunk: Buffer): void {
    if (chunk.buffer.byteLength > 0) this.released.push(chunk.buffer as ArrayBuffer);
  }

  /** The buffers released since the last call, to hand back (transfer) to the main thread. */
  takeReleased(): ArrayBuffer[] {
    const buffers = this.released;
    this.released = [];
    return buffers;
  }

  push(chunk: Buffer, bodyBytes: number): void {
    this.chunks.push(chunk);
    this.progress.push(bodyBytes);
    this.wake();
  }

  end(): void {
    this.ended = true;
    this.wake();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    for (;;) {
      const chunk = this.chunks.shift();
      if (chunk) {
        this.takenBodyBytes = this.progress.shift() ?? this.takenBodyBytes;
        this.onTaken();
        yield chunk;
      } else if (this.ended) {
        return;
      } else {
        await new Promise<void>((resolve) => (this.waiting = resolve));
      }
    }
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.();
  }
}
