import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GATEWAY_NODE_FLAGS } from './node-flags';

const ROOT = join(__dirname, '..');

/** The node flags of a command line `node <flags…> <entry>` (or `-r <module>`, skipped). */
function nodeFlagsOf(argv: string[]): string[] {
  expect(argv[0]).toBe('node');
  const flags: string[] = [];
  for (let i = 1; i < argv.length && argv[i].startsWith('-'); i++) {
    if (argv[i] === '-r') i++;
    else flags.push(argv[i]);
  }
  return flags;
}

describe('GATEWAY_NODE_FLAGS', () => {
  const scripts = (
    JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    }
  ).scripts;

  it.each(['start', 'start:prod'])('npm run %s starts node with them', (name) => {
    expect(nodeFlagsOf(scripts[name].split(' '))).toEqual(GATEWAY_NODE_FLAGS);
  });

  it('the Docker image starts node with them', () => {
    const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
    expect(cmd).not.toBeNull();
    const argv = JSON.parse(cmd![1]) as string[];
    expect(nodeFlagsOf(argv)).toEqual(GATEWAY_NODE_FLAGS);
    expect(argv.at(-1)).toBe('dist/main.js');
  });
});
