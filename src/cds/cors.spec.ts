import { corsHeaders } from './cors.js';

const allowed = ['https://sandbox.cds-hooks.org'];

describe('corsHeaders (§Cross-Origin Resource Sharing)', () => {
  it('C1 allows a listed origin, echoing it (never *), with preflight methods and headers', () => {
    expect(corsHeaders('https://sandbox.cds-hooks.org', allowed, true)).toEqual({
      'Access-Control-Allow-Origin': 'https://sandbox.cds-hooks.org',
      'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
      'Access-Control-Allow-Headers': 'Authorization, Content-Type',
      'Access-Control-Max-Age': '600',
    });
  });

  it('C1 an actual request from a listed origin only gets Allow-Origin', () => {
    expect(corsHeaders('https://sandbox.cds-hooks.org', allowed, false)).toEqual({ 'Access-Control-Allow-Origin': 'https://sandbox.cds-hooks.org' });
  });

  it('C1 gives nothing to unlisted, look-alike or missing origins', () => {
    for (const origin of ['https://evil.test', 'https://sandbox.cds-hooks.org.evil.test', 'http://sandbox.cds-hooks.org', 'null', undefined]) {
      expect(corsHeaders(origin, allowed, true)).toEqual({});
    }
  });
});
