import type { AppConfig } from '../config/app-config.types';

/** The comment every stream gets this often, so proxies never see an idle connection. */
export const HEARTBEAT_MS = 15_000;
/** Resuming by Last-Event-ID works at least this far back. */
export const REPLAY_WINDOW_MS = 10 * 60_000;
/** Unsent bytes a stream may hold before its client counts as not reading and is dropped. */
export const MAX_BUFFERED_BYTES = 256 * 1024;

export interface LiveTimings {
  pollIntervalMs: number;
  heartbeatMs: number;
  maxBufferedBytes: number;
  /** Updates kept for resuming: at most one per poll, so this covers REPLAY_WINDOW_MS. */
  replayCapacity: number;
  /** How long a new stream waits for the first figures before a 503. */
  waitMs: number;
  /** The poller lease outlives its holder by this much (then another replica takes over). */
  leaseMs: number;
  /** The shared state expires when no poll has refreshed it for this long. */
  stateTtlMs: number;
}

/**
 * The stream's timings from config. The poll interval is QUEUE_STATS_TTL_S, at least 1 s (a
 * TTL of 0 turns the cache off; it must not turn the poller into a busy loop).
 */
export function liveTimings(config: AppConfig): LiveTimings {
  const pollIntervalMs = Math.max(1, config.reporting.queueStatsTtlS) * 1000;
  return {
    pollIntervalMs,
    heartbeatMs: HEARTBEAT_MS,
    maxBufferedBytes: MAX_BUFFERED_BYTES,
    replayCapacity: Math.ceil(REPLAY_WINDOW_MS / pollIntervalMs) + 1,
    waitMs: config.cxone.deadlineMs,
    leaseMs: Math.max(3 * pollIntervalMs, 3000),
    stateTtlMs: Math.max(6 * pollIntervalMs, 30_000),
  };
}
