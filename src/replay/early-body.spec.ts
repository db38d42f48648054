import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { connect } from 'node:net';
import { readSmallJsonBody, smallJsonBodyLength } from './early-body';

function withHeaders(headers: IncomingMessage['headers']): IncomingMessage {
  return { headers } as IncomingMessage;
}

const JSON_HEADERS = { 'content-type': 'application/json', 'content-length': '120' };

describe('smallJsonBodyLength', () => {
  it('takes a JSON body of known length up to the limit, parameters and case allowed', () => {
    expect(smallJsonBodyLength(withHeaders(JSON_HEADERS), 1024)).toBe(120);
    for (const type of [
      'application/json; charset=utf-8',
      'Application/JSON',
      'application/json;',
    ]) {
      expect(
        smallJsonBodyLength(withHeaders({ ...JSON_HEADERS, 'content-type': type }), 1024),
      ).toBe(120);
    }
    expect(
      smallJsonBodyLength(withHeaders({ ...JSON_HEADERS, 'content-length': '1024' }), 1024),
    ).toBe(1024);
  });

  it('leaves to Fastify any other media type', () => {
    for (const type of [
      undefined,
      'text/plain',
      'application/json-patch+json',
      'application/jsonx',
      'application/x-www-form-urlencoded',
      'application/jso',
    ]) {
      const headers = { ...JSON_HEADERS, 'content-type': type };
      expect(smallJsonBodyLength(withHeaders(headers), 1024)).toBeUndefined();
    }
  });

  it('leaves to Fastify an empty, too long, unknown-length, chunked, encoded or Expect body', () => {
    const cases: IncomingMessage['headers'][] = [
      { ...JSON_HEADERS, 'content-length': '0' },
      { ...JSON_HEADERS, 'content-length': '1025' },
      { ...JSON_HEADERS, 'content-length': '12a' },
      { ...JSON_HEADERS, 'content-length': '9999999999' },
      { 'content-type': 'application/json' },
      { ...JSON_HEADERS, 'transfer-encoding': 'chunked' },
      { ...JSON_HEADERS, 'content-encoding': 'gzip' },
      { ...JSON_HEADERS, expect: '100-continue' },
    ];
    for (const headers of cases) {
      expect(smallJsonBodyLength(withHeaders(headers), 1024)).toBeUndefined();
    }
  });
});

describe('readSmallJsonBody (over HTTP)', () => {
  let server: Server;
  let port: number;
  /** What the server's handler saw: the body read, and then what a second reader got. */
  let seen: Promise<{ body: string | undefined; reread?: string }>;
  let handBack = false;

  beforeAll(async () => {
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  beforeEach(() => {
    server.removeAllListeners('request');
    seen = new Promise((resolve) => {
      server.on('request', (req: IncomingMessage, res) => {
        const length = Number(req.headers['content-length']);
        readSmallJsonBody(req, res, length, (body) => {
          if (body === undefined) return resolve({ body: undefined });
          if (!handBack) {
            res.end('read');
            return resolve({ body: body.toString() });
          }
          // Handed back later, the way the replay does it when the normal route answers.
          setImmediate(() => {
            req.unshift(body);
            const again: Buffer[] = [];
            req.on('data', (chunk: Buffer) => again.push(chunk));
            req.on('end', () => {
              res.end('reread');
              resolve({ body: body.toString(), reread: Buffer.concat(again).toString() });
            });
            // As Fastify's body reader does: the request was paused, not just left unread.
            req.resume();
          });
        });
      });
    });
  });

  /** Sends the body in pieces, a turn of the event loop apart. */
  function post(pieces: string[]): Promise<string> {
    const length = pieces.reduce((n, p) => n + Buffer.byteLength(p), 0);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          port,
          host: '127.0.0.1',
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': length },
        },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve(text));
        },
      );
      req.on('error', reject);
      const next = (i: number): void => {
        if (i === pieces.length) return void req.end();
        req.write(pieces[i], () => setImmediate(() => next(i + 1)));
      };
      next(0);
    });
  }

  it('gives the whole body, however many chunks it came in', async () => {
    handBack = false;
    const pieces = ['{"metrics":["handle', '_time"],"note":"Bürö', ' ☎"}'];
    await expect(post(pieces)).resolves.toBe('read');
    await expect(seen).resolves.toEqual({ body: pieces.join('') });
  });

  it('leaves the request paused before its end, so the bytes can be handed back and read again', async () => {
    handBack = true;
    const body = JSON.stringify({ padding: 'x'.repeat(100_000) });
    await expect(post([body.slice(0, 70_000), body.slice(70_000)])).resolves.toBe('reread');
    await expect(seen).resolves.toEqual({ body, reread: body });
  });

  it('gives undefined when the client leaves before the body is in', async () => {
    handBack = false;
    const socket: Socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(
      'POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":',
    );
    // The server has the headers and part of the body when the client goes.
    await new Promise<void>((resolve) => server.once('request', () => setImmediate(resolve)));
    socket.destroy();
    await expect(seen).resolves.toEqual({ body: undefined });
  });
});
