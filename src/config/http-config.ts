import { ConfigError, Env, readInt } from './env-parsers';

/**
 * Inbound HTTP timeouts. Node checks them on an interval, so a client that trickles its headers
 * or body (slowloris) is dropped within `requestTimeoutMs + checkIntervalMs` instead of holding
 * a socket for minutes.
 */
export interface HttpConfig {
  /** HTTP_REQUEST_TIMEOUT_MS: the whole request (headers and body) must arrive within this. */
  requestTimeoutMs: number;
  /** HTTP_HEADERS_TIMEOUT_MS: the headers must arrive within this (≤ the request timeout). */
  headersTimeoutMs: number;
  /** HTTP_TIMEOUT_CHECK_MS: how often Node looks for requests past those timeouts. */
  checkIntervalMs: number;
  /** HTTP_IDLE_TIMEOUT_MS: a socket with no traffic either way for this long is closed. */
  idleTimeoutMs: number;
}

/**
 * Bounds of one logical upstream operation (every page and window of one request): a deadline,
 * and the most upstream calls it may cost. A request whose size is known in advance (or from its
 * first page) and exceeds them is refused up front with a 422.
 */
export interface OperationLimits {
  /** HISTORY_DEADLINE_MS: one state-history request, all pages; default CXONE_DEADLINE_MS. */
  historyDeadlineMs: number;
  /** HISTORY_MAX_UPSTREAM_CALLS: upstream calls one state-history request may cost. */
  historyMaxUpstreamCalls: number;
  /** ANALYTICS_DEADLINE_MS: one summary query, all pages and buckets; default CXONE_DEADLINE_MS. */
  analyticsDeadlineMs: number;
  /** ANALYTICS_MAX_UPSTREAM_CALLS: upstream calls one summary query may cost. */
  analyticsMaxUpstreamCalls: number;
}

export function parseHttpConfig(env: Env): HttpConfig {
  const requestTimeoutMs = readInt(env, 'HTTP_REQUEST_TIMEOUT_MS', 10_000, { min: 100 });
  const headersTimeoutMs = readInt(
    env,
    'HTTP_HEADERS_TIMEOUT_MS',
    Math.min(10_000, requestTimeoutMs),
    { min: 100 },
  );
  // Node refuses to start a server whose headers may take longer than the whole request.
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new ConfigError(
      'HTTP_HEADERS_TIMEOUT_MS',
      `must be ≤ HTTP_REQUEST_TIMEOUT_MS (${requestTimeoutMs})`,
    );
  }
  return {
    requestTimeoutMs,
    headersTimeoutMs,
    checkIntervalMs: readInt(env, 'HTTP_TIMEOUT_CHECK_MS', 1000, { min: 10, max: 60_000 }),
    idleTimeoutMs: readInt(env, 'HTTP_IDLE_TIMEOUT_MS', 120_000, { min: 1000 }),
  };
}

export function parseOperationLimits(env: Env, cxoneDeadlineMs: number): OperationLimits {
  return {
    historyDeadlineMs: readInt(env, 'HISTORY_DEADLINE_MS', cxoneDeadlineMs, { min: 100 }),
    historyMaxUpstreamCalls: readInt(env, 'HISTORY_MAX_UPSTREAM_CALLS', 1000, { min: 1 }),
    analyticsDeadlineMs: readInt(env, 'ANALYTICS_DEADLINE_MS', cxoneDeadlineMs, { min: 100 }),
    analyticsMaxUpstreamCalls: readInt(env, 'ANALYTICS_MAX_UPSTREAM_CALLS', 500, { min: 1 }),
  };
}
