import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../test/utils/free-port';

/** A process the benchmark started, with where its output went. */
export interface Managed {
  name: string;
  child: ChildProcess;
  pid: number;
  logFile: string;
  /** ms from spawn until the readiness probe answered. */
  startupMs: number;
}

export interface SpawnSpec {
  name: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  /** URL polled until it answers `readyStatus` (default 200). */
  readyUrl: string;
  readyTimeoutMs?: number;
}

const KILL_GRACE_MS = 3000;
const live = new Set<Managed>();
/** Keyed by child: callers hold spread copies of `Managed`. */
const stopping = new WeakSet<ChildProcess>();
/** Processes that exited without the bench asking them to (read by the scenario runner). */
const unexpected: string[] = [];

/** Returns and forgets the unexpected exits seen so far, e.g. `gateway (pid 12, SIGKILL)`. */
export function takeUnexpectedExits(): string[] {
  return unexpected.splice(0);
}
let scratch: string | undefined;

/** One temp directory per benchmark run for logs and data dirs; removed by `killAll`. */
export function scratchDir(): string {
  scratch ??= mkdtempSync(join(tmpdir(), 'cxgw-bench-'));
  return scratch;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(scratchDir(), `${prefix}-`));
}

/** Only what node needs from the parent: no REDIS_URL or CXONE_* leaking in from CI. */
export function baseEnv(): Record<string, string> {
  const env: Record<string, string> = { TZ: 'UTC', NODE_ENV: 'production' };
  for (const key of ['PATH', 'HOME', 'TMPDIR']) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return env;
}

export async function waitForStatus(
  url: string,
  status: number,
  timeoutMs: number,
  child?: ChildProcess,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child && (child.exitCode !== null || child.signalCode !== null)) {
      throw new Error(`exited with ${child.signalCode ?? child.exitCode}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status === status) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(`${url} did not answer ${status} in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Spawns `node <args>`, output to a log file, and waits until its readiness URL answers. */
export async function spawnNode(spec: SpawnSpec): Promise<Managed> {
  const logFile = join(scratchDir(), `${spec.name}-${Date.now()}.log`);
  const fd = openSync(logFile, 'a');
  const started = performance.now();
  const child = spawn(process.execPath, spec.args, {
    cwd: spec.cwd,
    env: spec.env,
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`${spec.name}: spawn failed`);
  const managed: Managed = { name: spec.name, child, pid: child.pid, logFile, startupMs: 0 };
  live.add(managed);
  child.once('exit', (code, signal) => {
    live.delete(managed);
    if (!stopping.has(child)) {
      unexpected.push(`${spec.name} (pid ${managed.pid}) exited with ${signal ?? code}`);
    }
  });
  try {
    await waitForStatus(spec.readyUrl, 200, spec.readyTimeoutMs ?? 30000, child);
  } catch (err) {
    await stop(managed);
    throw new Error(`${spec.name} not ready: ${(err as Error).message}\n${logTail(logFile)}`);
  }
  managed.startupMs = performance.now() - started;
  return managed;
}

export function logTail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** SIGTERM, then SIGKILL after a grace period; resolves once the process has exited. */
export async function stop(managed: Managed): Promise<void> {
  const { child } = managed;
  if (child.exitCode !== null || child.signalCode !== null) return;
  stopping.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((m) => stop(m)));
}

/** Last resort on exit or a signal: synchronous, so it also works from an 'exit' handler. */
export function killAllNow(): void {
  for (const managed of live) {
    stopping.add(managed.child);
    if (managed.child.exitCode === null) managed.child.kill('SIGKILL');
  }
  live.clear();
}

export function removeScratch(): void {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
}

export { freePort };
