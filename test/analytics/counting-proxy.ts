import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** In-flight bookkeeping of the requests a CountingProxy watches. */
class Overlap {
  private inFlight = 0;
  max = 0;
  count = 0;

  enter(): void {
    this.inFlight += 1;
    this.count += 1;
    this.max = Math.max(this.max, this.inFlight);
  }

  leave(): void {
    this.inFlight -= 1;
  }

  reset(): void {
    this.max = this.inFlight;
    this.count = 0;
  }
}

/**
 * A pass-through HTTP proxy in front of the sandbox that measures how many requests matching a
 * path pattern were in flight at once (the sandbox counts calls, not overlap). The Host header
 * is passed unchanged, so every URL the sandbox hands out (discovery, `api_endpoint`, links)
 * points back at the proxy and all of the gateway's traffic goes through it.
 */
export class CountingProxy {
  private constructor(
    private readonly server: Server,
    private readonly overlap: Overlap,
    readonly url: string,
  ) {}

  /** Most matching requests in flight at once since the last reset. */
  get maxInFlight(): number {
    return this.overlap.max;
  }

  /** Matching requests seen since the last reset. */
  get count(): number {
    return this.overlap.count;
  }

  static async start(targetUrl: string, pattern: RegExp): Promise<CountingProxy> {
    const target = new URL(targetUrl);
    const overlap = new Overlap();
    const server = createServer((req, res) => {
      const counted = pattern.test(req.url ?? '');
      if (counted) overlap.enter();
      let left = false;
      const leave = () => {
        if (counted && !left) overlap.leave();
        left = true;
      };
      const upstream = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          answer.on('end', leave);
        },
      );
      upstream.on('error', () => {
        leave();
        res.destroy();
      });
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return new CountingProxy(server, overlap, `http://127.0.0.1:${port}`);
  }

  reset(): void {
    this.overlap.reset();
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
