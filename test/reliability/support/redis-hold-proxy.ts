import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/** One command a client sent, decoded (RESP array of bulk strings, as ioredis sends them). */
export interface RedisCommand {
  name: string;
  args: string[];
}

/** A command the proxy is holding back, with everything sent after it on that connection. */
export interface HeldCommand {
  proxy: RedisHoldProxy;
  command: RedisCommand;
  /** Forwards the held command and the ones queued behind it, in order. */
  release(): void;
}

/**
 * Holds the first command matching `match` that reaches any proxy it is armed on, then disarms:
 * armed on two proxies at once, it catches whichever replica gets there first.
 */
export class HoldGate {
  armed = true;
  readonly held: Promise<HeldCommand>;
  private resolveHeld!: (held: HeldCommand) => void;

  constructor(readonly match: (command: RedisCommand) => boolean) {
    this.held = new Promise((resolve) => (this.resolveHeld = resolve));
  }

  take(held: HeldCommand): void {
    this.armed = false;
    this.resolveHeld(held);
  }
}

interface Link {
  upstream: Socket;
  buffer: Buffer;
  /** Raw commands waiting behind a held one; undefined while nothing is held. */
  queue?: Buffer[];
}

/**
 * A TCP proxy in front of Redis that decodes what clients send and can hold a chosen command
 * on its connection until the test releases it. A gateway whose REDIS_URL points here can be
 * stopped exactly between reading a value and writing it back, which is how a spec opens a race
 * window on purpose and keeps it open until the other replica has acted.
 */
export class RedisHoldProxy {
  /** Every command received, in arrival order (all connections). */
  readonly commands: RedisCommand[] = [];
  private readonly gates: HoldGate[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    private readonly targetPort: number,
  ) {
    server.on('connection', (client) => this.accept(client));
  }

  static async start(targetPort: number): Promise<RedisHoldProxy> {
    const server = createServer();
    const proxy = new RedisHoldProxy(server, targetPort);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    return `redis://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  arm(gate: HoldGate): void {
    this.gates.push(gate);
  }

  count(match: (command: RedisCommand) => boolean): number {
    return this.commands.filter(match).length;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    const upstream = connect(this.targetPort, '127.0.0.1');
    this.sockets.add(client).add(upstream);
    const link: Link = { upstream, buffer: Buffer.alloc(0) };
    upstream.pipe(client);
    client.on('data', (chunk: Buffer) => this.receive(link, chunk));
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', drop).on('error', drop);
    upstream.on('close', drop).on('error', drop);
  }

  private receive(link: Link, chunk: Buffer): void {
    link.buffer = Buffer.concat([link.buffer, chunk]);
    for (;;) {
      const parsed = parseCommand(link.buffer);
      if (!parsed) return;
      const raw = link.buffer.subarray(0, parsed.end);
      link.buffer = link.buffer.subarray(parsed.end);
      this.commands.push(parsed.command);
      this.route(link, parsed.command, Buffer.from(raw));
    }
  }

  private route(link: Link, command: RedisCommand, raw: Buffer): void {
    if (link.queue) {
      link.queue.push(raw);
      return;
    }
    const gate = this.gates.find((g) => g.armed && g.match(command));
    if (!gate) {
      link.upstream.write(raw);
      return;
    }
    link.queue = [raw];
    gate.take({
      proxy: this,
      command,
      release: () => {
        const queued = link.queue ?? [];
        link.queue = undefined;
        for (const r of queued) link.upstream.write(r);
      },
    });
  }
}

/** Decodes one RESP array of bulk strings from the front of `buf`; undefined until complete. */
function parseCommand(buf: Buffer): { command: RedisCommand; end: number } | undefined {
  const header = readLine(buf, 0);
  if (!header) return undefined;
  if (!header.text.startsWith('*'))
    throw new Error(`unexpected RESP from a client: ${header.text}`);
  const count = Number(header.text.slice(1));
  const parts: string[] = [];
  let offset = header.next;
  for (let i = 0; i < count; i += 1) {
    const size = readLine(buf, offset);
    if (!size) return undefined;
    const length = Number(size.text.slice(1));
    const end = size.next + length + 2;
    if (buf.length < end) return undefined;
    parts.push(buf.toString('utf8', size.next, size.next + length));
    offset = end;
  }
  return { command: { name: (parts[0] ?? '').toLowerCase(), args: parts.slice(1) }, end: offset };
}

function readLine(buf: Buffer, from: number): { text: string; next: number } | undefined {
  const at = buf.indexOf('\r\n', from);
  return at < 0 ? undefined : { text: buf.toString('utf8', from, at), next: at + 2 };
}
