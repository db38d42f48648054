import { AUTH_HEADERS } from './stack';

export interface HttpAnswer {
  status: number;
  contentType: string;
  text: string;
  ms: number;
}

/** One request with the bench key; never throws on an HTTP status (the caller decides). */
export async function call(
  url: string,
  init: {
    method?: string;
    body?: unknown;
    headers?: Record<string, string>;
    timeoutMs?: number;
  } = {},
): Promise<HttpAnswer> {
  const started = performance.now();
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: {
      ...AUTH_HEADERS,
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: AbortSignal.timeout(init.timeoutMs ?? 60000),
  });
  const text = await res.text();
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    text,
    ms: performance.now() - started,
  };
}

/** Parses a JSON answer, or explains what came back instead. */
export function parse<T>(answer: HttpAnswer, what: string): T {
  if (answer.status < 200 || answer.status >= 300) {
    throw new RouteUnavailable(`${what} answered ${answer.status}: ${answer.text.slice(0, 200)}`);
  }
  return JSON.parse(answer.text) as T;
}

/** The route under test is missing or broken: the row says n/a rather than the run failing. */
export class RouteUnavailable extends Error {}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
