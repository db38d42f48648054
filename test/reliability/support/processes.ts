import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { freePort } from '../../utils/free-port';

/** A child process of the suite, with every output line kept (for canary scans and diagnosis). */
export interface Proc {
  name: string;
  child: ChildProcess;
  pid: number;
  lines: string[];
  exited: Promise<void>;
}

const live = new Set<Proc>();

/** Only PATH/HOME from the parent: CI's REDIS_URL or CXONE_* must not leak into a child. */
export function baseEnv(): Record<string, string> {
  const env: Record<string, string> = { TZ: 'UTC' };
  for (const key of ['PATH', 'HOME', 'TMPDIR']) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return env;
}

export function spawnProc(
  name: string,
  command: string,
  args: string[],
  options: { env: Record<string, string>; cwd?: string },
): Proc {
  const child = spawn(command, args, {
    env: options.env,
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`${name}: spawn failed`);
  const lines: string[] = [];
  const collect = (chunk: Buffer): void => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const proc: Proc = { name, child, pid: child.pid, lines, exited };
  live.add(proc);
  void exited.then(() => live.delete(proc));
  return proc;
}

export function isRunning(proc: Proc): boolean {
  return proc.child.exitCode === null && proc.child.signalCode === null;
}

/** Polls until `url` answers `status`; fails early when the process died. */
export async function waitForHttp(
  url: string,
  options: { status?: number; timeoutMs?: number; proc?: Proc } = {},
): Promise<void> {
  const { status = 200, timeoutMs = 30000, proc } = options;
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (proc && !isRunning(proc)) {
      throw new Error(`${proc.name} exited:\n${proc.lines.slice(-20).join('\n')}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      last = `${res.status} ${(await res.text()).slice(0, 200)}`;
      if (res.status === status) return;
    } catch (err) {
      last = (err as Error).message;
    }
    await sleep(50);
  }
  throw new Error(`${url} did not answer ${status} in ${timeoutMs} ms (last: ${last})`);
}

/** Sends `signal` and waits for the exit; SIGKILL after `graceMs`. */
export async function stopProc(proc: Proc, signal: NodeJS.Signals = 'SIGTERM', graceMs = 15000) {
  if (!isRunning(proc)) return;
  proc.child.kill(signal);
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), graceMs);
  await proc.exited;
  clearTimeout(timer);
}

export async function stopAllProcs(): Promise<void> {
  await Promise.all([...live].map((p) => stopProc(p, 'SIGKILL')));
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version']).status === 0;
}

export { freePort };
