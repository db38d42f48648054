/**
 * The sandbox's one entry point for the gateway. The gateway loads it with a dynamic
 * `import('./sandbox')` in sandbox mode only, so a production process never loads the simulator.
 */
import { parseSandboxEnv, type SandboxEnv } from './sandbox-env';
import type { SandboxOptions } from './sandbox.options';
import { startSandbox, type SandboxHandle } from './sandbox.server';

/**
 * Starts the simulator from the raw `SANDBOX_*` strings the gateway's configuration collected,
 * `overrides` on top (the gateway pins `port: 0`). A bad value rejects with SandboxEnvError naming
 * the variable, before anything listens.
 */
export function startSandboxFromEnv(
  env: SandboxEnv,
  overrides: Partial<SandboxOptions> = {},
  /** The sandbox's time (a gateway under a fake clock hands it the same one). */
  now: () => number = Date.now,
): Promise<SandboxHandle> {
  return startSandbox({ ...parseSandboxEnv(env), ...overrides }, now);
}

export { startSandbox, type SandboxHandle, type SandboxStartOptions } from './sandbox.server';
export { parseSandboxEnv, SandboxEnvError, type SandboxEnv } from './sandbox-env';
export type { SandboxOptions } from './sandbox.options';
export { SANDBOX_FIXTURES } from './fixtures';
export {
  publicFixtures,
  type PublicSandboxFixtures,
  type SandboxFixtures,
} from './sandbox-fixtures';
