import type { SmartClientConfig } from '../../config/app-config.js';
import { postLogoutRedirect } from './logout-checks.js';

const client = { clientId: 'app', postLogoutRedirectUris: ['https://app.example/bye'] } as SmartClientConfig;

describe('RP-initiated logout redirect (OIDC RP-Initiated Logout 1.0 §3)', () => {
  it('goes back to a registered post_logout_redirect_uri with state', () => {
    expect(postLogoutRedirect({ client_id: 'app', post_logout_redirect_uri: 'https://app.example/bye', state: 's 1' }, [client])).toBe('https://app.example/bye?state=s+1');
  });

  it('never to an unregistered one, one registered by another client, or without client_id', () => {
    expect(postLogoutRedirect({ client_id: 'app', post_logout_redirect_uri: 'https://evil.example/bye' }, [client])).toBeUndefined();
    expect(postLogoutRedirect({ client_id: 'app', post_logout_redirect_uri: 'https://app.example/bye/' }, [client])).toBeUndefined();
    expect(postLogoutRedirect({ client_id: 'other', post_logout_redirect_uri: 'https://app.example/bye' }, [client])).toBeUndefined();
    expect(postLogoutRedirect({ post_logout_redirect_uri: 'https://app.example/bye' }, [client])).toBeUndefined();
  });

  it('shows the signed-out page when no uri is asked', () => {
    expect(postLogoutRedirect({ client_id: 'app' }, [client])).toBeUndefined();
  });
});
