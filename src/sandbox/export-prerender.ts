import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { BackgroundRender } from './background-render';
import { bodyChunks, createDownloadGzip, type DownloadPlan } from './export-download';
import type { JobPrerender } from './export-jobs.store';

/** What a fault-free download needs; the fault fields of DownloadPlan do not apply here. */
export type PrerenderPlan = Pick<DownloadPlan, 'job' | 'generator' | 'mode'>;

/**
 * Lets the generator run ahead of the compressor by a few chunks, so generation (event loop) and
 * deflate (libuv thread pool) overlap instead of taking turns.
 */
const GZIP_BACKLOG_BYTES = 1024 * 1024;

/**
 * The fault-free download of one job, rendered into memory in the background the way CXone
 * prepares an export file before reporting it completed. Generation runs in ~64 KiB chunks with a
 * turn of the event loop after each, so API calls stay responsive during a million-record render.
 */
export class ExportPrerender extends BackgroundRender<Buffer> implements JobPrerender {
  static start(plan: PrerenderPlan, now: () => number): ExportPrerender {
    return new ExportPrerender((released) => renderBody(plan, released), now);
  }

  /** The rendered download; undefined while rendering, after a failure or after release(). */
  get body(): Buffer | undefined {
    return this.value;
  }
}

/** The exact bytes `streamExportDownload` sends for the plan without a fault; undefined if cancelled. */
export async function renderBody(
  plan: PrerenderPlan,
  cancelled: () => boolean = () => false,
): Promise<Buffer | undefined> {
  // Never inside the create request's turn: its 202 goes out first.
  await nextTurn();
  if (plan.mode === 'none') return renderPlain(plan, cancelled);
  const gzip = createDownloadGzip(GZIP_BACKLOG_BYTES);
  const parts: Buffer[] = [];
  gzip.on('data', (part: Buffer) => parts.push(part));
  const ended = finished(gzip);
  for (const chunk of bodyChunks({ ...plan, recordCount: 0 })) {
    if (cancelled()) {
      gzip.destroy();
      await ended.catch(() => undefined);
      return undefined;
    }
    if (gzip.write(chunk)) await nextTurn();
    else await once(gzip, 'drain');
  }
  gzip.end();
  await ended;
  return Buffer.concat(parts);
}

async function renderPlain(
  plan: PrerenderPlan,
  cancelled: () => boolean,
): Promise<Buffer | undefined> {
  const parts: Buffer[] = [];
  for (const chunk of bodyChunks({ ...plan, recordCount: 0 })) {
    if (cancelled()) return undefined;
    parts.push(Buffer.from(chunk, 'utf8'));
    await nextTurn();
  }
  return Buffer.concat(parts);
}
