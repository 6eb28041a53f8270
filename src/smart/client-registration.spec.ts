import type { SmartClientConfig } from '../config/app-config.js';
import { registrationProblems } from './client-registration.js';

const client = (redirectUris: string[]): SmartClientConfig => ({
  clientId: 'c',
  name: 'C',
  redirectUris,
  scope: 'openid',
  auth: 'none',
  autoApprove: false,
  writableTypes: [],
});

describe('registrationProblems (A15)', () => {
  it('accepts https, loopback http and our own origin', () => {
    expect(registrationProblems([client(['https://app.test/cb', 'http://127.0.0.1:8080/cb', 'http://localhost/cb', 'http://[::1]:9/cb', 'http://hw.test/apps/x'])], 'http://hw.test')).toEqual([]);
  });

  it('rejects plain http to any other host', () => {
    expect(registrationProblems([client(['http://app.test/cb'])], 'https://hw.test')).toEqual([
      'smartClients.c.redirectUris: http://app.test/cb must use https (or a loopback address)',
    ]);
  });
});
