import { corsHeaders } from './cors.js';

const allowed = new Set(['https://sandbox.cds-hooks.org']);
const preflight = { methods: 'GET, POST, OPTIONS', headers: 'Authorization, Content-Type', maxAgeSeconds: 600 };

describe('corsHeaders', () => {
  it('C1 allows a listed origin, echoing it (never *), with preflight methods, headers and max age', () => {
    expect(corsHeaders('https://sandbox.cds-hooks.org', allowed, preflight)).toEqual({
      'Access-Control-Allow-Origin': 'https://sandbox.cds-hooks.org',
      Vary: 'Origin',
      'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
      'Access-Control-Allow-Headers': 'Authorization, Content-Type',
      'Access-Control-Max-Age': '600',
    });
  });

  it('a preflight without a max age says none', () => {
    expect(corsHeaders('https://sandbox.cds-hooks.org', allowed, { methods: 'POST', headers: 'Authorization' })).not.toHaveProperty('Access-Control-Max-Age');
  });

  it('C1 an actual request from a listed origin only gets Allow-Origin (and Vary)', () => {
    expect(corsHeaders('https://sandbox.cds-hooks.org', allowed)).toEqual({ 'Access-Control-Allow-Origin': 'https://sandbox.cds-hooks.org', Vary: 'Origin' });
  });

  it('C1 gives nothing to unlisted, look-alike or missing origins', () => {
    for (const origin of ['https://evil.test', 'https://sandbox.cds-hooks.org.evil.test', 'http://sandbox.cds-hooks.org', 'null', undefined]) {
      expect(corsHeaders(origin, allowed, preflight)).toEqual({});
    }
  });
});
