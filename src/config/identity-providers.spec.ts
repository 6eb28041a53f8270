import { linkUserBinding } from './app-config.js';
import { fileSchema } from './config.schema.js';

const provider = { id: 'hospital', displayName: 'Hospital', issuer: 'https://sso.hospital.example/realms/clinical', clientId: 'hookwarden', clientAuth: 'client_secret_basic', clientSecret: 'a-secret-of-16-chars-or-more' };
const problems = (file: unknown) => {
  const r = fileSchema.safeParse(file);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('identityProviders, session and links configuration', () => {
  it('a complete provider is accepted with the default scopes', () => {
    const parsed = fileSchema.parse({ identityProviders: [provider] });
    expect(parsed.identityProviders[0]!.scopes).toEqual(['openid', 'email', 'profile']);
  });

  it('names every bad key: http off loopback, scopes without openid, a missing secret or key', () => {
    expect(problems({ identityProviders: [{ ...provider, issuer: 'http://sso.hospital.example' }] })).toEqual(['identityProviders.0.issuer: must be https (http only on loopback)']);
    expect(problems({ identityProviders: [{ ...provider, scopes: ['email'] }] })).toEqual(['identityProviders.0.scopes: scopes must include openid']);
    expect(problems({ identityProviders: [{ ...provider, clientSecret: undefined }] })).toEqual(['identityProviders.0: client_secret_basic needs clientSecret']);
    expect(problems({ identityProviders: [{ ...provider, clientAuth: 'private_key_jwt' }] })).toEqual(['identityProviders.0: private_key_jwt needs privateKeyJwk']);
  });

  it('http is allowed on loopback only', () => {
    expect(problems({ identityProviders: [{ ...provider, issuer: 'http://127.0.0.1:8080' }] })).toEqual([]);
    expect(problems({ identityProviders: [{ ...provider, issuer: 'http://127.0.0.1.evil.example' }] })).toHaveLength(1);
  });

  it('a session whose idle lifetime exceeds its absolute one is refused', () => {
    expect(problems({ session: { idleSeconds: 7200, absoluteSeconds: 3600 } })).toEqual(['session.idleSeconds: idleSeconds must not exceed absoluteSeconds']);
  });

  it('links.userBinding defaults on exactly when anyone can sign in, and an explicit value wins', () => {
    const base = fileSchema.parse({});
    expect(linkUserBinding(base)).toBe(false);
    expect(linkUserBinding({ ...base, identityProviders: fileSchema.parse({ identityProviders: [provider] }).identityProviders })).toBe(true);
    expect(linkUserBinding({ ...base, users: [{ username: 'u', passwordHash: 'scrypt$x', fhirUser: 'Practitioner/u', roles: ['clinician'] }] })).toBe(true);
    expect(linkUserBinding({ ...base, links: { userBinding: false, maxLaunches: 5 }, identityProviders: fileSchema.parse({ identityProviders: [provider] }).identityProviders })).toBe(false);
    expect(base.links.maxLaunches).toBe(5);
  });
});
