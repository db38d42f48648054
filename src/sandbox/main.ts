import { loadSandboxEnvFromProcess } from '../config/app-config';
import { parseSandboxEnv } from './sandbox-env';
import { startSandbox } from './sandbox.server';

/** `npm run sandbox`: the simulator alone, configured from SANDBOX_*, one JSON log line per event. */
function log(level: 'info' | 'error', msg: string, fields: Record<string, unknown> = {}): void {
  const stream = level === 'error' ? process.stderr : process.stdout;
  stream.write(`${JSON.stringify({ level, time: new Date().toISOString(), msg, ...fields })}\n`);
}

async function main(): Promise<void> {
  const options = parseSandboxEnv(loadSandboxEnvFromProcess());
  const sandbox = await startSandbox(options);
  log('info', 'CXone sandbox listening', { url: sandbox.url, fixtures: sandbox.fixtures });
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    sandbox.close().then(
      () => {
        log('info', 'CXone sandbox stopped', { signal });
        process.exit(0);
      },
      (error: unknown) => {
        log('error', 'CXone sandbox failed to stop cleanly', { error: String(error) });
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  log('error', 'CXone sandbox failed to start', {
    error: error instanceof Error ? error.message : String(error),
  });
  process.exit(1);
});
