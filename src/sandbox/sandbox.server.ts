import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  sendPrerenderedDownload,
  streamExportDownload,
  type DownloadFault,
} from './export-download';
import { parseFaultSpecs, type RouteName, type TerminalFault } from './faults';
import {
  publicFixtures,
  type PublicSandboxFixtures,
  type SandboxFixtures,
} from './sandbox-fixtures';
import { controlHandlerFor } from './handlers/control.handler';
import { downloadPlan } from './handlers/exports.handler';
import {
  BodyTooLargeError,
  failure,
  readBody,
  sendJson,
  sendText,
  type HandlerResult,
  type JsonResult,
  type SandboxRequest,
} from './sandbox-http';
import { matchRoute, requiresToken } from './sandbox.routes';
import {
  DEFAULT_SANDBOX_OPTIONS,
  sandboxOptionProblems,
  type SandboxOptions,
} from './sandbox.options';
import { SandboxState } from './sandbox-state';
import {
  authorizeIncontact,
  finishIncontact,
  incontactRetryAfterS,
  isIncontactSurface,
  surfaceError,
} from './incontact/surface';
import type { IncontactQuirks } from './incontact/quirks';
import type { DataExtractionOptions } from './incontact/data-extraction/de-options';
import { describeRequest } from './request-log';
import { overTenantLimit } from './tenant-rate-limit';

export interface SandboxHandle {
  /** `http://127.0.0.1:<port>` (or the configured host). */
  url: string;
  port: number;
  /** Ids and the credentials this instance accepts (for wiring a client to it). */
  fixtures: SandboxFixtures;
  /** The fixtures without credentials: what may be shown to callers of the gateway. */
  publicFixtures: PublicSandboxFixtures;
  close(): Promise<void>;
}

const CONTROL_PREFIX = '/_sandbox';

/** What `startSandbox` takes: any option, and any subset of the inContact quirks. */
export type SandboxStartOptions = Partial<
  Omit<SandboxOptions, 'incontactQuirks' | 'dataExtraction'>
> & {
  incontactQuirks?: Partial<IncontactQuirks>;
  dataExtraction?: Partial<DataExtractionOptions>;
};

/** Merges over the defaults and rejects values the sandbox cannot honour. */
export function resolveSandboxOptions(partial: SandboxStartOptions = {}): SandboxOptions {
  const options: SandboxOptions = {
    ...DEFAULT_SANDBOX_OPTIONS,
    ...partial,
    incontactQuirks: { ...DEFAULT_SANDBOX_OPTIONS.incontactQuirks, ...partial.incontactQuirks },
    dataExtraction: { ...DEFAULT_SANDBOX_OPTIONS.dataExtraction, ...partial.dataExtraction },
  };
  const problems = sandboxOptionProblems(options).map(([key, why]) => `${key} ${why}`);
  const faults = parseFaultSpecs(options.faults);
  if (!faults.ok) problems.push(`faults: ${faults.message}`);
  if (problems.length > 0) throw new Error(`Invalid sandbox options: ${problems.join('; ')}`);
  return options;
}

/** Starts the CXone simulator. Nothing is generated up front; data is computed per request. */
export async function startSandbox(
  options?: SandboxStartOptions,
  /** The sandbox's time: tests hand it the fake clock they give the gateway. */
  now: () => number = Date.now,
): Promise<SandboxHandle> {
  const state = new SandboxState(resolveSandboxOptions(options), now);
  const lifecycle = new AbortController();
  const server = createServer((req, res) => {
    dispatch(state, req, res, lifecycle.signal).catch((error: unknown) => answerCrash(res, error));
  });
  server.keepAliveTimeout = 5000;
  const port = await listen(server, state.options);
  return {
    url: `http://${urlHost(state.options.host)}:${port}`,
    port,
    fixtures: state.fixtures,
    publicFixtures: publicFixtures(state.fixtures),
    close: () => {
      // Stops background renders, which would otherwise keep the process busy after close.
      state.jobs.clear();
      return shutdown(server, lifecycle);
    },
  };
}

function listen(server: Server, options: SandboxOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

async function shutdown(server: Server, lifecycle: AbortController): Promise<void> {
  lifecycle.abort();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Hung calls, streams and keep-alive sockets would otherwise hold close() open forever.
  server.closeAllConnections();
  await closed;
}

/** Last resort: a handler bug becomes a visible 500 naming the error, never a hung socket. */
function answerCrash(res: ServerResponse, error: unknown): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  sendJson(res, 500, JSON.stringify({ error: 'sandbox_error', message }));
}

async function dispatch(
  state: SandboxState,
  req: IncomingMessage,
  res: ServerResponse,
  signal: AbortSignal,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://sandbox');
  const method = req.method ?? 'GET';
  if (url.pathname.startsWith(`${CONTROL_PREFIX}/`)) return answerControl(state, req, res, url);
  const match = matchRoute(method, url.pathname);
  if (match.kind !== 'route') {
    req.resume();
    const result =
      match.kind === 'notFound'
        ? failure(404, 'not_found', `No route for ${method} ${url.pathname}`)
        : failure(405, 'method_not_allowed', `Use ${match.allowed.join(', ')}`);
    return writeJson(res, result);
  }
  const route = match.name;
  let body: Buffer;
  try {
    body = await readBody(req);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    return answer(state, route, res, failure(413, 'payload_too_large', 'Body exceeds 1 MiB'));
  }
  const request: SandboxRequest = {
    method,
    path: url.pathname,
    query: url.searchParams,
    params: match.params,
    headers: req.headers,
    body,
  };
  state.stats.log(route, describeRequest(request, new Date(state.now()).toISOString()));
  const limited = overTenantLimit(state, route);
  if (limited) return answer(state, route, res, limited);
  const faults = state.faults.beforeHandler(route);
  const delayMs = state.options.latencyMs + faults.latencyMs;
  if (delayMs > 0) await sleep(delayMs, undefined, { signal });
  const { surface } = match;
  if (isIncontactSurface(surface)) {
    const finish = (result: HandlerResult): void =>
      answer(state, route, res, finishIncontact(state, surface, request, result));
    if (faults.terminal?.kind === 'status' || faults.terminal?.kind === 'rateLimit') {
      const status = faults.terminal.kind === 'status' ? (faults.terminal.status ?? 503) : 429;
      const result = surfaceError(surface, request, status, `Injected fault: HTTP ${status}`);
      const seconds = incontactRetryAfterS(state, faults.terminal);
      result.headers = { ...result.headers, ...retryAfter(state, faults.terminal, seconds) };
      return finish(result);
    }
    if (faults.terminal) return applyTerminalFault(state, route, req, res, faults.terminal);
    return finish(
      authorizeIncontact(state, surface, request) ?? (await match.handler(state, request)),
    );
  }
  if (faults.terminal) return applyTerminalFault(state, route, req, res, faults.terminal);
  if (surface === 'v2' && requiresToken(route) && !state.tokens.isValid(bearerToken(req)))
    return answer(state, route, res, unauthorized());
  return answer(state, route, res, await match.handler(state, request));
}

function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const m = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1];
}

function unauthorized(): JsonResult {
  const result = failure(401, 'invalid_token', 'Missing, invalid or expired access token');
  result.headers = { 'WWW-Authenticate': 'Bearer error="invalid_token"' };
  return result;
}

/** The Retry-After header for `seconds` (none when undefined), as seconds or an HTTP date. */
function retryAfter(
  state: SandboxState,
  fault: TerminalFault,
  seconds: number | undefined,
): Record<string, string> {
  if (seconds === undefined) return {};
  if (!fault.retryAfterDate) return { 'Retry-After': String(seconds) };
  // HTTP dates have 1 s resolution: round up so the client never waits less than asked.
  const at = Math.ceil((state.now() + seconds * 1000) / 1000) * 1000;
  return { 'Retry-After': new Date(at).toUTCString() };
}

function applyTerminalFault(
  state: SandboxState,
  route: RouteName,
  req: IncomingMessage,
  res: ServerResponse,
  fault: TerminalFault,
): void {
  switch (fault.kind) {
    case 'status': {
      const status = fault.status ?? 503;
      const result = failure(status, 'injected_fault', `Injected fault: HTTP ${status}`);
      result.headers = retryAfter(state, fault, fault.retryAfterS);
      return answer(state, route, res, result);
    }
    case 'rateLimit': {
      const result = failure(429, 'rate_limited', 'Too Many Requests');
      result.headers = retryAfter(state, fault, fault.retryAfterS ?? 1);
      return answer(state, route, res, result);
    }
    case 'hang':
      // Never answered; close() tears the socket down. Counted now, as status 0.
      state.stats.record(route, 0);
      return;
    case 'reset':
      state.stats.record(route, 0);
      req.socket.destroy();
      return;
  }
}

/** Sends a handler result, applying response-shaping faults, and counts it exactly once. */
function answer(
  state: SandboxState,
  route: RouteName,
  res: ServerResponse,
  result: HandlerResult,
): void {
  if (result.kind === 'raw') {
    state.stats.record(route, result.status);
    return result.send(res);
  }
  if (result.kind === 'text') {
    state.stats.record(route, result.status);
    return sendText(res, result);
  }
  if (result.kind === 'download') {
    state.stats.record(route, 200);
    const fault: DownloadFault | undefined = state.faults.take(route, 'truncatedGzip')
      ? 'truncatedGzip'
      : state.faults.take(route, 'malformedJson')
        ? 'malformedJson'
        : undefined;
    const plan = downloadPlan(state, result.job, fault);
    // Faulty downloads are shaped while streaming, so only a clean one can use the prepared file.
    const prepared = fault === undefined ? result.job.prerender?.body : undefined;
    if (prepared) return sendPrerenderedDownload(res, plan.mode, result.job.id, prepared);
    return streamExportDownload(res, plan, () => undefined);
  }
  state.stats.record(route, result.status);
  const ok = result.status >= 200 && result.status < 300;
  let text = JSON.stringify(result.body);
  // Half of a JSON object is never valid JSON: the missing closing brace guarantees it.
  if (ok && state.faults.take(route, 'malformedJson'))
    text = text.slice(0, Math.ceil(text.length / 2));
  sendJson(res, result.status, text, result.headers);
}

function writeJson(res: ServerResponse, result: JsonResult): void {
  sendJson(res, result.status, JSON.stringify(result.body), result.headers);
}

async function answerControl(
  state: SandboxState,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const method = req.method ?? 'GET';
  const found = controlHandlerFor(method, url.pathname.slice(CONTROL_PREFIX.length));
  const body = await readBody(req);
  if (!found)
    return writeJson(res, failure(404, 'not_found', `No control route ${method} ${url.pathname}`));
  const request: SandboxRequest = {
    method,
    path: url.pathname,
    query: url.searchParams,
    params: found.params,
    headers: req.headers,
    body,
  };
  writeJson(res, found.handler(state, request));
}
