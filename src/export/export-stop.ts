/** Why a running export was stopped from outside. */
export type StopReason = 'cancelled' | 'shutdown';

/** The abort reason of an export's AbortController: cancel by the user, or process shutdown. */
export class ExportStopped extends Error {
  constructor(readonly reason: StopReason) {
    super(`export ${reason}`);
    this.name = 'ExportStopped';
  }
}

export function isStopped(err: unknown, reason?: StopReason): err is ExportStopped {
  return err instanceof ExportStopped && (reason === undefined || err.reason === reason);
}
