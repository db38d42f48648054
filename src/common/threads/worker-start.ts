import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import type { WorkerOptions } from 'node:worker_threads';
import type * as Swc from '@swc/core';

/** What `new Worker(code, options)` needs to run one entry module. */
export interface WorkerStart {
  code: string;
  options: WorkerOptions;
}

/**
 * Runs a TypeScript entry in a worker thread from modules compiled here, in the main thread:
 * a worker gets neither ts-node's nor Jest's loader, and loading swc's native addon inside
 * worker threads crashes the process (SIGSEGV in its module registration, seen after a few
 * dozen workers). The hook below only looks the compiled code up.
 */
const TS_BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
const compiled = workerData.compiledModules;
require.extensions['.ts'] = (module, filename) => {
  const code = compiled[filename];
  if (code === undefined) throw new Error('not compiled for the worker: ' + filename);
  module._compile(code, filename);
};
require(workerData.entry);`;

/**
 * How to start a worker on `entry` (an absolute path without extension, beside the caller):
 * the compiled `.js` file as it is, or, running from TypeScript sources (ts-node, Jest), the
 * bootstrap above with `entry`'s local module tree compiled once per process.
 */
export function workerStart(
  entry: string,
  callerExt: string,
  workerData: object,
  options: Omit<WorkerOptions, 'workerData' | 'eval'> = {},
): WorkerStart {
  if (callerExt !== '.ts')
    return { code: `${entry}${callerExt}`, options: { ...options, workerData } };
  const file = `${entry}.ts`;
  return {
    code: TS_BOOTSTRAP,
    options: {
      ...options,
      eval: true,
      workerData: { ...workerData, entry: file, compiledModules: compiledTree(file) },
    },
  };
}

const trees = new Map<string, Record<string, string>>();

/** `file` and every relative import it reaches, as CommonJS, by absolute path. */
function compiledTree(file: string): Record<string, string> {
  const cached = trees.get(file);
  if (cached) return cached;
  // Only present where the sources are TypeScript (a dev dependency), so loaded only then.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const swc = require('@swc/core') as typeof Swc;
  const tree: Record<string, string> = {};
  const pending = [file];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (tree[next] !== undefined) continue;
    const { code } = swc.transformSync(readFileSync(next, 'utf8'), {
      filename: next,
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
    });
    tree[next] = code;
    for (const match of code.matchAll(/require\("(\.\.?\/[^"]+)"\)/g)) {
      pending.push(resolveLocal(dirname(next), match[1]));
    }
  }
  trees.set(file, tree);
  return tree;
}

function resolveLocal(from: string, specifier: string): string {
  const base = resolve(from, specifier);
  if (extname(base) === '.ts' && existsSync(base)) return base;
  for (const candidate of [`${base}.ts`, resolve(base, 'index.ts')]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`worker module not found: ${specifier} (from ${from})`);
}
