// The OAuth pieces both pages use: random values, PKCE S256 (RFC 7636 §4.2) and the code exchange.
export const CLIENT_ID = 'medication-review';

export const b64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
export const random = (n) => b64url(crypto.getRandomValues(new Uint8Array(n)));
export const challengeOf = async (verifier) => b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));

/** RFC 6749 §4.1.3 with PKCE: the code for a token response, or an Error saying why not. */
export async function exchangeCode(saved, code) {
  const res = await fetch(saved.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: saved.redirectUri, code_verifier: saved.verifier, client_id: CLIENT_ID }),
  });
  const token = await res.json();
  if (!res.ok) throw new Error(`Token request failed: ${token.error} ${token.error_description ?? ''}`);
  return token;
}
