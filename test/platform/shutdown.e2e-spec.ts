import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** Starts `npm start`'s entry point as a real process (sandbox mode, demo key, port 0). */
interface StartedProcess {
  child: ChildProcess;
  url: Promise<string>;
  /** Captured at spawn, so an exit before anyone awaits it is not missed. */
  exited: Promise<number | null>;
  output: () => string;
}

function startProcess(dataDir: string): StartedProcess {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, TZ: 'UTC' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match) resolve(match[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${out}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, url, exited, output: () => out };
}

/** Resolves once the gateway's metrics count an upstream call of `operation` (a request is in flight). */
async function upstreamCallMade(url: string, operation: string): Promise<void> {
  const sample = `gateway_upstream_calls_total{operation="${operation}"`;
  for (;;) {
    const metrics = await (await fetch(`${url}/metrics`)).text();
    if (metrics.includes(sample)) return;
  }
}

describe('process lifecycle (e2e)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cxgw-shutdown-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts in sandbox mode with a banner, then drains on SIGTERM, flushes audit, exits 0', async () => {
    const proc = startProcess(dataDir);
    const url = await proc.url;
    expect(proc.output()).toContain('SANDBOX MODE');
    expect(proc.output()).toContain('sandbox-demo-key');

    const fixtures = await fetch(`${url}/v1/sandbox/fixtures`, {
      headers: { authorization: 'Bearer sandbox-demo-key' },
    });
    expect(fixtures.status).toBe(200);
    const { agents } = (await fixtures.json()) as { agents: { busy: string } };
    // Fire a slow-ish request and SIGTERM while it is in flight: it must still complete.
    const inFlight = fetch(`${url}/v1/agents/${agents.busy}/state-history`, {
      headers: { authorization: 'Bearer sandbox-demo-key' },
    });
    await upstreamCallMade(url, 'agentHistory');
    proc.child.kill('SIGTERM');
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await proc.exited).toBe(0);
    const audit = readFileSync(join(dataDir, 'audit', 'audit.jsonl'), 'utf8');
    expect(audit).toContain('/v1/agents/:agentId/state-history');
    expect(audit).toContain('/v1/sandbox/fixtures');
  }, 60000);

  it('refuses to start with a bad variable, naming it', async () => {
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', 'src/main.ts'],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH, PORT: 'eighty' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let err = '';
    child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).not.toBe(0);
    expect(err).toContain('PORT');
    // ts-node compiling the app on start: seconds alone, tens of seconds on a loaded machine.
  }, 60_000);
});
