import type { ServerResponse } from 'node:http';
import { Readable, Transform, pipeline, type TransformCallback } from 'node:stream';
import { constants as zlibConstants, createGzip, type Gzip } from 'node:zlib';
import {
  ANCHOR_DEFECT,
  copiesInWindow,
  type ExportEventGenerator,
} from './export-events.generator';
import type { ExportJob } from './export-jobs.store';
import type { ExportGzipMode } from './sandbox.options';

export type DownloadFault = 'truncatedGzip' | 'malformedJson';

export interface DownloadPlan {
  job: ExportJob;
  generator: ExportEventGenerator;
  mode: ExportGzipMode;
  fault?: DownloadFault;
  /** For truncatedGzip: raw records in the full download (the stream stops at half). */
  recordCount: number;
}

const CHUNK_CHARS = 64 * 1024;
/** Records sent before a malformedJson body turns into garbage. */
const MALFORMED_AFTER = 10;
/** Bytes withheld from the end of a truncated stream: more than gzip's 8-byte trailer. */
const TRUNCATED_TAIL_BYTES = 32;
/** What a proxy error page spliced into the array looks like: never valid JSON. */
const GARBAGE = ',{"id":"<!-- 502 Bad Gateway';

/**
 * The JSON array, generated in ~64 KiB chunks so memory stays flat for any record count.
 * Duplicated events are emitted twice in a row; the window's anchor (its first schema-valid
 * event) is followed by an intact and a broken copy of itself.
 */
export function* bodyChunks(plan: DownloadPlan): Generator<string> {
  const { job, generator, fault } = plan;
  const stopAfter = fault === 'truncatedGzip' ? Math.floor(plan.recordCount / 2) : undefined;
  let buffer = '[';
  let written = 0;
  if (stopAfter === 0) {
    yield buffer;
    return;
  }
  let anchorPending = true;
  for (const event of generator.eventsIn(job.fromMs, job.toMs)) {
    const text = generator.toJson(event);
    const isAnchor = anchorPending && event.defect === undefined;
    if (isAnchor) anchorPending = false;
    for (let copy = copiesInWindow(event, isAnchor); copy > 0; copy -= 1) {
      const record = isAnchor && copy === 1 ? generator.toJson(event, ANCHOR_DEFECT) : text;
      buffer += written === 0 ? record : `,${record}`;
      written += 1;
      if (written === stopAfter || (fault === 'malformedJson' && written === MALFORMED_AFTER)) {
        yield fault === 'malformedJson' ? buffer + GARBAGE : buffer;
        return;
      }
    }
    if (buffer.length >= CHUNK_CHARS) {
      yield buffer;
      buffer = '';
    }
  }
  yield fault === 'malformedJson' ? buffer + GARBAGE : `${buffer}]`;
}

/** Holds back the last bytes of a stream and never releases them: a cut-off body. */
class TailDropper extends Transform {
  private tail = Buffer.alloc(0);

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const all = Buffer.concat([this.tail, chunk]);
    const keep = Math.max(0, all.length - TRUNCATED_TAIL_BYTES);
    if (keep > 0) this.push(all.subarray(0, keep));
    this.tail = Buffer.from(all.subarray(keep));
    callback();
  }
}

/** The one gzip setting of every download, streamed or prerendered, so both send the same bytes. */
export function createDownloadGzip(writableHighWaterMark?: number): Gzip {
  return createGzip({
    level: 1,
    chunkSize: 64 * 1024,
    flush: zlibConstants.Z_NO_FLUSH,
    ...(writableHighWaterMark === undefined ? {} : { writableHighWaterMark }),
  });
}

function headersFor(mode: ExportGzipMode, jobId: string): Record<string, string> {
  switch (mode) {
    case 'content-type':
      return {
        'Content-Type': 'application/gzip',
        'Content-Disposition': `attachment; filename="export-${jobId}.json.gz"`,
      };
    case 'content-encoding':
      return { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' };
    case 'none':
      return { 'Content-Type': 'application/json' };
  }
}

/** Streams the download (gzip level 1 on the fly, backpressure respected); calls done at the end. */
export function streamExportDownload(
  res: ServerResponse,
  plan: DownloadPlan,
  done: () => void,
): void {
  res.writeHead(200, headersFor(plan.mode, plan.job.id));
  const stages: NodeJS.ReadWriteStream[] = [];
  if (plan.mode !== 'none') stages.push(createDownloadGzip());
  if (plan.fault === 'truncatedGzip') stages.push(new TailDropper());
  const source = Readable.from(bodyChunks(plan), { objectMode: false });
  // A client that disconnects mid-download is normal here; the error only means "stop".
  pipeline([source, ...stages, res], () => done());
}

/** Sends a body rendered ahead of time by `ExportPrerender`: the streamed headers plus a length. */
export function sendPrerenderedDownload(
  res: ServerResponse,
  mode: ExportGzipMode,
  jobId: string,
  body: Buffer,
): void {
  res.writeHead(200, { ...headersFor(mode, jobId), 'Content-Length': String(body.length) });
  res.end(body);
}
