import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppConfig, CxoneConfig } from '../config/app-config.types';

/** One scripted answer of the stub. */
export interface StubReply {
  status?: number;
  body?: unknown;
  /** Sent verbatim instead of JSON (e.g. malformed JSON, gzip bytes). */
  raw?: string | Buffer;
  headers?: Record<string, string>;
  delayMs?: number;
  /** Answer once this settles (a reply the test releases when it wants). */
  until?: Promise<unknown>;
  /** Never answer (until the client gives up and closes the socket). */
  hang?: boolean;
  /** Destroy the socket without an answer (ECONNRESET on the client). */
  reset?: boolean;
}

export interface StubRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export const STUB_CLIENT_ID = 'stub-client';
export const STUB_CLIENT_SECRET = 'stub-secret-value';

/**
 * A tiny scriptable CXone over node:http for unit tests of the upstream client: a token endpoint
 * that really checks credentials and expiry, per-path queues of scripted replies, and counters.
 */
export class StubUpstream {
  url = '';
  tokenTtlS = 3600;
  tokensIssued = 0;
  closedSockets = 0;
  readonly requests: StubRequest[] = [];
  private readonly tokens = new Map<string, number>();
  private readonly scripts = new Map<string, StubReply[]>();
  private readonly defaults = new Map<string, (req: StubRequest) => StubReply>();
  private tokenReplies: StubReply[] = [];
  /** Conditions tests wait for, re-checked on every request and every closed socket. */
  private watchers: { ready: () => boolean; resolve: () => void }[] = [];
  private readonly server = http.createServer((req, res) => this.handle(req, res));

  static async start(): Promise<StubUpstream> {
    const stub = new StubUpstream();
    stub.server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => stub.server.listen(0, '127.0.0.1', resolve));
    stub.url = `http://127.0.0.1:${(stub.server.address() as AddressInfo).port}`;
    stub.server.on('connection', (socket) =>
      socket.on('close', () => {
        stub.closedSockets += 1;
        stub.notify();
      }),
    );
    return stub;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Replies for the next calls to `path`, in order; then the path's default. */
  script(path: string, ...replies: StubReply[]): void {
    this.scripts.set(path, [...(this.scripts.get(path) ?? []), ...replies]);
  }

  /** The answer to `path` once its script is used up. */
  route(path: string, handler: (req: StubRequest) => StubReply): void {
    this.defaults.set(path, handler);
  }

  /** Replies for the next token requests (instead of issuing a token). */
  scriptToken(...replies: StubReply[]): void {
    this.tokenReplies.push(...replies);
  }

  expireTokens(): void {
    this.tokens.clear();
  }

  count(path: string): number {
    return this.requests.filter((r) => r.path === path).length;
  }

  /** Resolves once `path` has been called `n` times in all (an event, not a sleep). */
  waitForRequests(path: string, n: number): Promise<void> {
    return this.waitUntil(() => this.count(path) >= n);
  }

  /** Resolves once `n` client sockets have closed since the stub started. */
  waitForClosedSockets(n: number): Promise<void> {
    return this.waitUntil(() => this.closedSockets >= n);
  }

  reset(): void {
    this.requests.length = 0;
    this.scripts.clear();
    this.tokenReplies = [];
    this.tokensIssued = 0;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0];
      const request = {
        method: req.method ?? 'GET',
        path,
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      };
      this.requests.push(request);
      this.notify();
      const reply = path === '/oauth/token' ? this.token(request) : this.api(request);
      const send = () => this.reply(req, res, reply);
      if (reply.until) void reply.until.then(send, send);
      else if (reply.delayMs) setTimeout(send, reply.delayMs);
      else send();
    });
  }

  private waitUntil(ready: () => boolean): Promise<void> {
    if (ready()) return Promise.resolve();
    return new Promise((resolve) => this.watchers.push({ ready, resolve }));
  }

  private notify(): void {
    const due = this.watchers.filter((w) => w.ready());
    this.watchers = this.watchers.filter((w) => !due.includes(w));
    for (const w of due) w.resolve();
  }

  private token(req: StubRequest): StubReply {
    const scripted = this.tokenReplies.shift();
    if (scripted) return scripted;
    const form = new URLSearchParams(req.body);
    let id = form.get('client_id');
    let secret = form.get('client_secret');
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
    if (basic) [id, secret] = Buffer.from(basic[1], 'base64').toString().split(':');
    if (form.get('grant_type') !== 'client_credentials')
      return { status: 400, body: { error: 'unsupported_grant_type' } };
    if (id !== STUB_CLIENT_ID || secret !== STUB_CLIENT_SECRET) {
      return {
        status: 401,
        body: { error: 'invalid_client', error_description: 'Client authentication failed' },
      };
    }
    this.tokensIssued += 1;
    const token = `tok-${this.tokensIssued}-${Math.random().toString(36).slice(2)}`;
    this.tokens.set(token, Date.now() + this.tokenTtlS * 1000);
    return { body: { access_token: token, token_type: 'bearer', expires_in: this.tokenTtlS } };
  }

  private api(req: StubRequest): StubReply {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const expiresAt = this.tokens.get(token);
    if (expiresAt === undefined || expiresAt <= Date.now()) {
      return { status: 401, body: { error: 'invalid_token', message: 'Access token expired' } };
    }
    const scripted = this.scripts.get(req.path)?.shift();
    if (scripted) return scripted;
    const handler = this.defaults.get(req.path);
    return handler ? handler(req) : { status: 404, body: { message: `No route ${req.path}` } };
  }

  private reply(req: http.IncomingMessage, res: http.ServerResponse, reply: StubReply): void {
    if (reply.hang) return;
    if (reply.reset) {
      req.socket.destroy();
      return;
    }
    const payload = reply.raw ?? (reply.body === undefined ? '' : JSON.stringify(reply.body));
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
    res.end(payload);
  }
}

/** A config pointing at the stub, with small timeouts for fast tests. */
export function stubConfig(url: string, cxone: Partial<CxoneConfig> = {}): AppConfig {
  const full: CxoneConfig = {
    dialect: 'v2',
    baseUrl: url,
    tokenUrl: `${url}/oauth/token`,
    clientId: STUB_CLIENT_ID,
    clientSecret: STUB_CLIENT_SECRET,
    tokenAuth: 'body',
    timeoutMs: 1000,
    deadlineMs: 3000,
    maxAttempts: 3,
    maxRps: 1000,
    maxConcurrency: 50,
    incontact: {
      issuer: url,
      accessKeyId: '',
      accessKeySecret: '',
      apiVersion: '30.0',
      apiVersions: {},
    },
    ...cxone,
  };
  return { mode: 'cxone', cxone: full, secrets: [full.clientSecret] } as unknown as AppConfig;
}
