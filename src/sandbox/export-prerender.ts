import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
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
export class ExportPrerender implements JobPrerender {
  body: Buffer | undefined;
  finishedAtMs: number | undefined;
  private released = false;

  private constructor(private readonly now: () => number) {}

  static start(plan: PrerenderPlan, now: () => number): ExportPrerender {
    const prerender = new ExportPrerender(now);
    void prerender.run(plan);
    return prerender;
  }

  /** Stops a render in progress and drops the buffer; downloads fall back to streaming. */
  release(): void {
    this.released = true;
    this.body = undefined;
  }

  private async run(plan: PrerenderPlan): Promise<void> {
    try {
      const body = await renderBody(plan, () => this.released);
      if (!this.released) this.body = body;
    } catch {
      // A render that cannot finish only costs speed: the download streams on the fly instead.
    }
    this.finishedAtMs = this.now();
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
