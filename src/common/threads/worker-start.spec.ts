import { once } from 'node:events';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { workerStart } from './worker-start';

const ENTRY = join(__dirname, 'fixtures', 'echo.worker');

describe('workerStart', () => {
  it('runs a TypeScript entry and its relative imports in a worker thread', async () => {
    const start = workerStart(ENTRY, '.ts', { word: 'hello' });
    const worker = new Worker(start.code, start.options);
    const [message] = (await once(worker, 'message')) as [string];
    await once(worker, 'exit');
    expect(message).toBe('HELLO!');
  });

  it('hands the worker the compiled modules, not a compiler', () => {
    const { code, options } = workerStart(ENTRY, '.ts', { word: 'x' });
    const data = options.workerData as { compiledModules: Record<string, string>; word: string };
    expect(Object.keys(data.compiledModules).sort()).toEqual([
      `${ENTRY}.ts`,
      join(__dirname, 'fixtures', 'shout.ts'),
    ]);
    expect(options.eval).toBe(true);
    expect(code).not.toContain('swc');
    expect(data.word).toBe('x');
  });

  it('starts a compiled entry from its own file', () => {
    const { code, options } = workerStart('/app/dist/scan.worker', '.js', { word: 'x' });
    expect(code).toBe('/app/dist/scan.worker.js');
    expect(options.eval).toBeUndefined();
    expect(options.workerData).toEqual({ word: 'x' });
  });
});
