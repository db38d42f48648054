/**
 * A job's file rendered into memory in the background while the job runs, the way real
 * platforms prepare a file before reporting it ready: a download then only sends bytes, so a
 * benchmark times the gateway rather than this simulator generating data on the shared cores.
 * `render` is told when the render was released (the job evicted, the sandbox reset) and should
 * stop; a render that throws leaves no value, so the download streams on the fly instead.
 * The simulated v2 exports (ExportPrerender) and Data Extraction files (DeFilePrerender) both
 * render through this.
 */
export class BackgroundRender<T> {
  /** The rendered value; undefined while rendering, after a failure or after release(). */
  value: T | undefined;
  /** When the render ended, successfully or not; undefined while it runs. */
  finishedAtMs: number | undefined;
  /** Settles when the render has ended (rendered, failed or released). */
  readonly ended: Promise<void>;
  private released = false;

  constructor(
    render: (released: () => boolean) => Promise<T | undefined>,
    private readonly now: () => number,
  ) {
    this.ended = this.run(render);
  }

  /** Stops a render in progress and drops what it rendered. */
  release(): void {
    this.released = true;
    this.value = undefined;
  }

  private async run(render: (released: () => boolean) => Promise<T | undefined>): Promise<void> {
    try {
      const value = await render(() => this.released);
      if (!this.released) this.value = value;
    } catch {
      // A render that cannot finish only costs speed: the download streams on the fly instead.
    }
    this.finishedAtMs = this.now();
  }
}
