import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './config-error.js';
import { DEMO_EHR_ISSUER, DEMO_EHR_KEY_FILE } from './demo.js';
import { loadConfig, mergeProfileEhrs } from './load-config.js';
import { CDS_HOOKS_SANDBOX_EHR } from './sandbox-profile.js';

const dir = () => mkdtempSync(join(tmpdir(), 'hookwarden-config-'));

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe(loadConfig.name, () => {
  it('falls back to the demo configuration when there is no file, generating and then reusing the demo EHR key', () => {
    const cwd = dir();
    const first = loadConfig({ DATA_DIR: 'data' }, cwd);
    expect(first.config.configPath).toBeUndefined();
    expect(first.config.ehrs.map((e) => e.issuer)).toEqual([DEMO_EHR_ISSUER]);
    expect(first.config.users.length).toBeGreaterThan(0);
    expect(first.warnings.join()).toMatch(/demo configuration/);
    expect(first.config.demoResources?.filter((r) => r.resourceType === 'Patient').map((r) => r.id)).toEqual(['demo-patient-1', 'demo-patient-2']);
    const key = readFileSync(join(cwd, 'data', DEMO_EHR_KEY_FILE), 'utf8');
    const second = loadConfig({ DATA_DIR: 'data' }, cwd);
    expect(readFileSync(join(cwd, 'data', DEMO_EHR_KEY_FILE), 'utf8')).toBe(key);
    expect(second.config.ehrs[0]?.jwks).toEqual(first.config.ehrs[0]?.jwks);
    expect(first.config.demoEhrKey?.publicJwk).toEqual(first.config.ehrs[0]?.jwks?.keys[0]);
  });

  it('derives PUBLIC_URL from PORT and strips a trailing slash from an explicit one', () => {
    const cwd = dir();
    expect(loadConfig({ PORT: '4000' }, cwd).config.publicUrl).toBe('http://localhost:4000');
    expect(loadConfig({ PUBLIC_URL: 'https://cds.example.org/' }, cwd).config.publicUrl).toBe('https://cds.example.org');
  });

  it('reads ./hookwarden.yaml when present; the SMART clients are those of the file (service apps join at bootstrap)', () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'hookwarden.yaml'), 'ehrs:\n  - issuer: https://ehr.example.org\n    jwksUrl: https://ehr.example.org/jwks.json\n');
    const { config } = loadConfig({}, cwd);
    expect(config.configPath).toBe(join(cwd, 'hookwarden.yaml'));
    expect(config.ehrs).toHaveLength(1);
    expect(config.ehrs[0]?.algorithms).toEqual(['ES384', 'RS384']);
    expect(config.auth.required).toBe(true);
    expect(config.smartClients).toEqual([]);
    expect(config.demoResources).toBeUndefined();
    expect(config.demoEhrKey).toBeUndefined();
  });

  it('stops the start naming every bad key at once', () => {
    const cwd = dir();
    const file = join(cwd, 'bad.yaml');
    writeFileSync(
      file,
      [
        'ehrs:',
        '  - issuer: https://ehr.example.org',
        '    algorithms: [HS256]',
        'smartClients:',
        '  - clientId: app',
        '    name: App',
        '    scope: launch',
        '    auth: client_secret_basic',
        'auth:',
        '  required: "no"',
        'unknownKey: 1',
      ].join('\n'),
    );
    const e = errorOf(() => loadConfig({ HOOKWARDEN_CONFIG: file }, cwd));
    const text = e.problems.join('\n');
    expect(text).toMatch(/ehrs\.0\.algorithms\.0/);
    expect(text).toMatch(/ehrs\.0: needs jwksUrl or jwks/);
    expect(text).toMatch(/smartClients\.0: client_secret_basic needs secret/);
    expect(text).toMatch(/auth\.required/);
    expect(text).toMatch(/unknownKey/);
  });

  it('rejects a missing file, invalid YAML, bad environment values and duplicate ids', () => {
    const cwd = dir();
    expect(errorOf(() => loadConfig({ HOOKWARDEN_CONFIG: 'nope.yaml' }, cwd)).problems[0]).toMatch(/file not found/);
    writeFileSync(join(cwd, 'broken.yaml'), 'ehrs: [\n');
    expect(errorOf(() => loadConfig({ HOOKWARDEN_CONFIG: 'broken.yaml' }, cwd)).problems[0]).toMatch(/not valid YAML/);
    const env = errorOf(() => loadConfig({ PORT: 'x', DATABASE_URL: 'mysql://h/db', PUBLIC_URL: 'ftp://x' }, cwd));
    expect(env.problems.map((p) => p.split(':')[0])).toEqual(expect.arrayContaining(['PORT', 'DATABASE_URL', 'PUBLIC_URL']));
    writeFileSync(
      join(cwd, 'dup.yaml'),
      'ehrs:\n  - {issuer: https://a, jwksUrl: https://a/j}\n  - {issuer: https://a, jwksUrl: https://a/k}\n',
    );
    expect(errorOf(() => loadConfig({ HOOKWARDEN_CONFIG: 'dup.yaml' }, cwd)).problems).toEqual(['ehrs: issuer https://a listed twice']);
  });

  it('runs WORKERS processes on PostgreSQL only, and refuses several on the embedded PGlite database', () => {
    const cwd = dir();
    expect(loadConfig({}, cwd).config.workers).toBe(1);
    expect(loadConfig({ WORKERS: '4', DATABASE_URL: 'postgres://h/db' }, cwd).config.workers).toBe(4);
    expect(errorOf(() => loadConfig({ WORKERS: '2' }, cwd)).problems).toEqual([
      'WORKERS: 2 processes need DATABASE_URL (PostgreSQL); the embedded PGlite database serves one process only',
    ]);
    expect(errorOf(() => loadConfig({ WORKERS: '0', LOG_LEVEL: 'loud' }, cwd)).problems.map((p) => p.split(':')[0])).toEqual(['WORKERS', 'LOG_LEVEL']);
  });

  it('sizes the database pool and its timeouts and places PGlite from the file, with defaults, and names out-of-range values', () => {
    const cwd = dir();
    expect(loadConfig({}, cwd).config.database).toEqual({ poolSize: 10, statementTimeoutMs: 10_000, connectTimeoutMs: 5000, pglite: 'worker' });
    writeFileSync(join(cwd, 'db.yaml'), 'database: {poolSize: 40, statementTimeoutMs: 2500}\n');
    expect(loadConfig({ HOOKWARDEN_CONFIG: 'db.yaml' }, cwd).config.database).toEqual({ poolSize: 40, statementTimeoutMs: 2500, connectTimeoutMs: 5000, pglite: 'worker' });
    writeFileSync(join(cwd, 'inline.yaml'), 'database: {pglite: inline}\n');
    expect(loadConfig({ HOOKWARDEN_CONFIG: 'inline.yaml' }, cwd).config.database.pglite).toBe('inline');
    writeFileSync(join(cwd, 'bad-db.yaml'), 'database: {poolSize: 0, statementTimeoutMs: 1.5, connectTimeoutMs: -1, pglite: thread, idle: 3}\n');
    const text = errorOf(() => loadConfig({ HOOKWARDEN_CONFIG: 'bad-db.yaml' }, cwd)).problems.join('\n');
    for (const key of ['database.poolSize', 'database.statementTimeoutMs', 'database.connectTimeoutMs', 'database.pglite', 'idle']) expect(text).toContain(key);
  });

  it('keeps raw analytics events 90 days unless analytics.retentionDays says otherwise', () => {
    const cwd = dir();
    expect(loadConfig({}, cwd).config.analytics).toEqual({ retentionDays: 90 });
    writeFileSync(join(cwd, 'a.yaml'), 'analytics: {retentionDays: 30}\n');
    expect(loadConfig({ HOOKWARDEN_CONFIG: 'a.yaml' }, cwd).config.analytics).toEqual({ retentionDays: 30 });
    writeFileSync(join(cwd, 'bad-a.yaml'), 'analytics: {retentionDays: 0}\n');
    expect(errorOf(() => loadConfig({ HOOKWARDEN_CONFIG: 'bad-a.yaml' }, cwd)).problems.join()).toContain('analytics.retentionDays');
  });

  it('warns loudly when auth is off or the sandbox profile is on', () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'dev.yaml'), 'auth: {required: false}\nprofiles: [cds-hooks-sandbox]\n');
    const { config, warnings } = loadConfig({ HOOKWARDEN_CONFIG: 'dev.yaml' }, cwd);
    expect(config.ehrs.map((e) => e.issuer)).toEqual(['https://sandbox.cds-hooks.org']);
    expect(warnings.join('\n')).toMatch(/NOT authenticated/);
    expect(warnings.join('\n')).toMatch(/PRIVATE KEY IS PUBLIC/);
  });

  describe('profile merge', () => {
    it('an ehrs entry for the sandbox issuer extends the profile: its keys win, the pinned JWKS stays', () => {
      const cwd = dir();
      writeFileSync(
        join(cwd, 'sandbox.yaml'),
        'profiles: [cds-hooks-sandbox]\nehrs:\n  - issuer: https://sandbox.cds-hooks.org\n    fhirServers: [https://launch.smarthealthit.org/v/r4/fhir]\n    tenants: [t1]\n',
      );
      const { config } = loadConfig({ HOOKWARDEN_CONFIG: 'sandbox.yaml' }, cwd);
      expect(config.ehrs).toHaveLength(1);
      expect(config.ehrs[0]).toMatchObject({
        issuer: 'https://sandbox.cds-hooks.org',
        fhirServers: ['https://launch.smarthealthit.org/v/r4/fhir'],
        tenants: ['t1'],
        algorithms: ['ES384'],
        jwks: CDS_HOOKS_SANDBOX_EHR.jwks,
      });
    });

    it('without the profile enabled the same entry is an ordinary issuer and must name its keys', () => {
      const cwd = dir();
      writeFileSync(join(cwd, 'no-profile.yaml'), 'ehrs:\n  - issuer: https://sandbox.cds-hooks.org\n    fhirServers: [https://f.example/fhir]\n');
      expect(errorOf(() => loadConfig({ HOOKWARDEN_CONFIG: 'no-profile.yaml' }, cwd)).problems).toEqual(['ehrs.0: needs jwksUrl or jwks']);
    });

    it('names a bad key of the merged entry at the file entry\'s path, and two entries for the issuer still clash', () => {
      const cwd = dir();
      writeFileSync(join(cwd, 'bad.yaml'), 'profiles: [cds-hooks-sandbox]\nehrs:\n  - issuer: https://sandbox.cds-hooks.org\n    fhirServers: [ftp://x]\n');
      expect(errorOf(() => loadConfig({ HOOKWARDEN_CONFIG: 'bad.yaml' }, cwd)).problems.join()).toMatch(/^ehrs\.0\.fhirServers\.0/);
      writeFileSync(
        join(cwd, 'twice.yaml'),
        'profiles: [cds-hooks-sandbox]\nehrs:\n  - issuer: https://sandbox.cds-hooks.org\n  - issuer: https://sandbox.cds-hooks.org\n',
      );
      expect(errorOf(() => loadConfig({ HOOKWARDEN_CONFIG: 'twice.yaml' }, cwd)).problems).toEqual(['ehrs: issuer https://sandbox.cds-hooks.org listed twice']);
    });

    it('leaves a file without profiles untouched', () => {
      const raw = { ehrs: [{ issuer: 'https://a' }] };
      expect(mergeProfileEhrs(raw)).toEqual({ file: raw, merged: new Set() });
      expect(mergeProfileEhrs(null).file).toBeNull();
    });
  });
});
