import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { verifyPassword } from '../src/smart/passwords.js';

// `npm run hash-password` and `npm run check-config` as an operator runs them: through npm, from
// another directory, with the password on stdin.
const ROOT = fileURLToPath(new URL('..', import.meta.url));

function npmRun(script: string, args: string[], opts: { cwd: string; input?: string }) {
  const { HOOKWARDEN_CONFIG: _ignored, ...env } = process.env;
  return spawnSync('npm', ['run', '-s', '--prefix', ROOT, script, '--', ...args], { cwd: opts.cwd, input: opts.input ?? '', encoding: 'utf8', env });
}

describe('configuration scripts', () => {
  it('hash-password reads the password from stdin and prints a hash the authorization server verifies', async () => {
    const result = npmRun('hash-password', [], { cwd: tmpdir(), input: 'correct horse battery\n' });
    expect(result.status).toBe(0);
    const hash = result.stdout.trim();
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    await expect(verifyPassword('correct horse battery', hash)).resolves.toBe(true);
    const short = npmRun('hash-password', [], { cwd: tmpdir(), input: 'short' });
    expect(short.status).toBe(1);
    expect(short.stderr).toContain('at least 8 characters');
  });

  it('check-config resolves a relative path from where it was typed and exits 1 on a bad file', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'hookwarden-cli-'));
    writeFileSync(join(cwd, 'ok.yaml'), 'profiles: [cds-hooks-sandbox]\ncors: {origins: [http://localhost:8080]}\n');
    writeFileSync(join(cwd, 'bad.yaml'), 'cors: {origins: [localhost]}\n');
    const ok = npmRun('check-config', ['ok.yaml'], { cwd });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain(`${join(cwd, 'ok.yaml')}: valid`);
    expect(ok.stdout).toContain('https://sandbox.cds-hooks.org');
    const bad = npmRun('check-config', ['bad.yaml'], { cwd });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('cors.origins.0');
  });
});
