import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CANARY } from './stack';

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

/**
 * Every response a spec received, kept so the secrets check covers them all (headers included).
 * Bodies are truncated to 64 KiB each: a canary would sit near the top of an error body.
 */
export class ResponseLog {
  readonly texts: string[] = [];

  add(status: number, headers: Headers, text: string): void {
    const head = [...headers.entries()].map(([k, v]) => `${k}: ${v}`).join('\n');
    this.texts.push(`${status}\n${head}\n${text.slice(0, 65536)}`);
  }
}

export async function send(
  log: ResponseLog,
  url: string,
  init: {
    method?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    timeoutMs?: number;
  } = {},
): Promise<Answer> {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: init.headers,
    body: init.body,
    signal: AbortSignal.timeout(init.timeoutMs ?? 30000),
  });
  const text = await res.text();
  log.add(res.status, res.headers, text);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export interface TokenSniffer {
  url: string;
  /** Every access token the sandbox issued through this proxy. */
  tokens: Set<string>;
  close(): Promise<void>;
}

/**
 * A pass-through HTTP proxy in front of the sandbox that remembers the access tokens it hands
 * out (the sandbox's own request log never shows them), so they can be searched for in logs.
 */
export async function startTokenSniffer(targetUrl: string): Promise<TokenSniffer> {
  const target = new URL(targetUrl);
  const tokens = new Set<string>();
  const server = createServer((req, res) => {
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        if (!req.url?.includes('token')) {
          up.pipe(res);
          return;
        }
        const chunks: Buffer[] = [];
        up.on('data', (c: Buffer) => chunks.push(c));
        up.on('end', () => {
          const body = Buffer.concat(chunks);
          const match = /"access_token"\s*:\s*"([^"]+)"/.exec(body.toString('utf8'));
          if (match) tokens.add(match[1]);
          res.end(body);
        });
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tokens,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The secrets that must never appear: the planted canaries plus run-time tokens. */
export function secrets(tokens: string[] = []): string[] {
  return [...Object.values(CANARY), ...tokens];
}

/** Lines (of logs or responses) that contain a secret, for a readable failure message. */
export function leaks(texts: string[], secretList: string[]): string[] {
  const found: string[] = [];
  for (const text of texts) {
    for (const secret of secretList) {
      if (text.includes(secret)) found.push(`${secret.slice(0, 12)}… in: ${text.slice(0, 300)}`);
    }
  }
  return found;
}
