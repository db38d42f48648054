import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DIST_GATEWAY, DIST_SANDBOX, ROOT } from './stack';

/** Newest modification time of the compiled inputs (src/**, minus specs and fakes). */
function newestSource(): number {
  let newest = 0;
  const src = join(ROOT, 'src');
  for (const entry of readdirSync(src, { recursive: true, encoding: 'utf8' })) {
    if (!entry.endsWith('.ts') || /\.(spec|fake)\.ts$/.test(entry)) continue;
    newest = Math.max(newest, statSync(join(src, entry)).mtimeMs);
  }
  for (const file of ['tsconfig.json', 'tsconfig.build.json', 'package.json']) {
    newest = Math.max(newest, statSync(join(ROOT, file)).mtimeMs);
  }
  return newest;
}

/**
 * Runs `npm run build` when dist/ is missing or older than a source file. A failed build with a
 * dist/ still present is reported and the run goes on (other engineers' work in progress must
 * not block a measurement); without dist/ it is fatal.
 */
export function ensureBuild(log: (message: string) => void): void {
  const built = existsSync(DIST_GATEWAY) && existsSync(DIST_SANDBOX);
  if (built && statSync(DIST_GATEWAY).mtimeMs >= newestSource()) {
    log('dist/ is up to date');
    return;
  }
  log(built ? 'dist/ is stale: npm run build' : 'no dist/: npm run build');
  const result = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (result.status === 0) return;
  const output = `${result.stdout}${result.stderr}`.split('\n').slice(-20).join('\n');
  if (!existsSync(DIST_GATEWAY) || !existsSync(DIST_SANDBOX)) {
    throw new Error(`npm run build failed:\n${output}`);
  }
  log(`WARNING: npm run build failed; measuring the dist/ it left:\n${output}`);
}
