import { parseBasic } from './client-auth.js';

describe('client authentication helpers', () => {
  it('parseBasic decodes form-urlencoded id and secret (RFC 6749 §2.3.1)', () => {
    const header = `Basic ${Buffer.from('my%20app:s%3Acret').toString('base64')}`;
    expect(parseBasic(header)).toEqual({ id: 'my app', secret: 's:cret' });
    expect(parseBasic('Bearer abc')).toBeUndefined();
    expect(parseBasic(`Basic ${Buffer.from('no-colon').toString('base64')}`)).toBeUndefined();
  });
});
