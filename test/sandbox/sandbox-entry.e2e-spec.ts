import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createGateway } from '../../src/bootstrap';
import { parseConfig } from '../../src/config/app-config';

const SRC = join(__dirname, '..', '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('the sandbox as a wing of its own (one entry point, loaded on demand)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cxgw-sandbox-entry-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is imported by no gateway file except as types (bootstrap loads it with import())', () => {
    const offenders = sourceFiles(SRC)
      .filter((file) => !relative(SRC, file).startsWith('sandbox/'))
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .filter((line) => /^\s*import\s(?!type\s).*from\s+'[./]*\/?sandbox(\/|')/.test(line))
          .map((line) => `${relative(SRC, file)}: ${line.trim()}`),
      );
    expect(offenders).toEqual([]);
    expect(readFileSync(join(SRC, 'bootstrap.ts'), 'utf8')).toContain("await import('./sandbox')");
  });

  it('refuses to start on a bad SANDBOX_* value, naming the variable', async () => {
    const config = parseConfig({ PORT: '0', DATA_DIR: dataDir, SANDBOX_SEED: 'forty-two' });
    await expect(createGateway({ config })).rejects.toThrow(
      /SANDBOX_SEED: "forty-two" is not an integer/,
    );
  });

  it('starts the embedded sandbox from the raw SANDBOX_* strings and serves its public fixtures', async () => {
    const config = parseConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      SANDBOX_CLIENT_SECRET: 'entry-spec-secret',
    });
    const gateway = await createGateway({ config });
    try {
      expect(gateway.sandbox?.fixtures.credentials.clientSecret).toBe('entry-spec-secret');
      const response = await fetch(`${gateway.url}/v1/sandbox/fixtures`, {
        headers: { authorization: 'Bearer sandbox-demo-key' },
      });
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(JSON.parse(text)).toEqual(gateway.sandbox?.publicFixtures);
      expect(JSON.parse(text)).toHaveProperty('agents.busy');
      expect(text).not.toContain('entry-spec-secret');
      expect(text).not.toContain('credentials');
    } finally {
      await gateway.close();
    }
  });
});
