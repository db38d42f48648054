import { setImmediate as nextTurn } from 'node:timers/promises';
import { csvFileChunks, type FilePlan } from './de-file';

/**
 * A job's CSV file rendered into memory in the background while the job runs, the way real
 * storage holds a finished file: a download then only sends bytes, so a benchmark times the
 * gateway rather than this simulator generating rows on the shared cores. One chunk per turn of
 * the event loop, so API calls stay responsive during a million-row render. Off by default
 * (`SANDBOX_DE_PRERENDER`); a download with a fault is shaped while streaming and never uses it.
 */
export class DeFilePrerender {
  /** The file's bytes once rendered, exactly what csvFileChunks streams; undefined until then. */
  parts: Buffer[] | undefined;
  /** When the render ended (the job stays RUNNING until then); undefined while it runs. */
  finishedAtMs: number | undefined;
  /** Settles when the render has ended (rendered or released). */
  readonly ended: Promise<void>;
  private released = false;

  private constructor(
    plan: FilePlan,
    private readonly now: () => number,
  ) {
    this.ended = this.run(plan);
  }

  static start(plan: FilePlan, now: () => number): DeFilePrerender {
    return new DeFilePrerender(plan, now);
  }

  /** Stops a render in progress and drops the bytes (the job was evicted or the sandbox reset). */
  release(): void {
    this.released = true;
    this.parts = undefined;
  }

  private async run(plan: FilePlan): Promise<void> {
    // Never inside the create request's turn: its 202 goes out first.
    await nextTurn();
    try {
      const parts: Buffer[] = [];
      for (const chunk of csvFileChunks(plan)) {
        if (this.released) break;
        parts.push(Buffer.from(chunk, 'utf8'));
        await nextTurn();
      }
      if (!this.released) this.parts = parts;
    } catch {
      // A render that cannot finish only costs speed: the download streams on the fly instead.
    }
    this.finishedAtMs = this.now();
  }
}
