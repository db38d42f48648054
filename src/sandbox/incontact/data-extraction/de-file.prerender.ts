import { setImmediate as nextTurn } from 'node:timers/promises';
import { BackgroundRender } from '../../background-render';
import { csvFileChunks, type FilePlan } from './de-file';

/**
 * A Data Extraction job's CSV file rendered into memory while the job runs, as real storage
 * holds a finished file (see BackgroundRender). One chunk per turn of the event loop, so API
 * calls stay responsive during a million-row render. Off by default (`SANDBOX_DE_PRERENDER`);
 * a download with a fault is shaped while streaming and never uses it.
 */
export class DeFilePrerender extends BackgroundRender<Buffer[]> {
  static start(plan: FilePlan, now: () => number): DeFilePrerender {
    return new DeFilePrerender((released) => renderParts(plan, released), now);
  }

  /** The file's bytes once rendered, exactly what csvFileChunks streams; undefined until then. */
  get parts(): Buffer[] | undefined {
    return this.value;
  }
}

async function renderParts(plan: FilePlan, released: () => boolean): Promise<Buffer[] | undefined> {
  // Never inside the create request's turn: its 202 goes out first.
  await nextTurn();
  const parts: Buffer[] = [];
  for (const chunk of csvFileChunks(plan)) {
    if (released()) return undefined;
    parts.push(Buffer.from(chunk, 'utf8'));
    await nextTurn();
  }
  return parts;
}
