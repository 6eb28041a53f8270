import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
// oidc-provider ships no types; what the tests use of it is typed here.
// @ts-expect-error no declaration file
import { Provider } from 'oidc-provider';
import { browse, type CookieJar, type SignIn } from './sign-in.js';

/** A person with an account at the test provider. */
export interface OpAccount {
  sub: string;
  /** The claim Hookwarden maps to fhirUser. */
  fhir_user: string;
  email: string;
}

/** A real OpenID provider (oidc-provider, the certified Node OP) on loopback, as the hospital's IdP. */
export interface TestOp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Makes the next token response carry an id_token with these claims changed, re-signed with the provider's key. */
  tamperNextIdToken(claims: Record<string, unknown>): void;
  /** Clicks the provider's button on Hookwarden's sign-in page and signs in at the provider as `account`. */
  signIn(sub: string, options?: { alterCallback?: (callback: URL) => void }): SignIn;
  close(): Promise<void>;
}

interface KoaContext {
  path: string;
  body: unknown;
}

/** The first form of a page: its action and its hidden fields. */
function firstForm(html: string, pageUrl: string): { action: string; fields: Record<string, string> } {
  const form = /<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/.exec(html);
  if (!form) throw new Error(`no form on ${pageUrl}: ${html.slice(0, 300)}`);
  const fields: Record<string, string> = {};
  for (const input of form[2].matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) fields[input[1]] = input[2];
  return { action: new URL(form[1].replaceAll('&amp;', '&'), pageUrl).href, fields };
}

/**
 * Starts the provider with one confidential client registered for Hookwarden at `hookwardenBase`:
 * `client_secret_basic`, or `private_key_jwt` with `clientJwk` (the public key) registered.
 */
export async function startTestOp(hookwardenBase: string, accounts: readonly OpAccount[], clientJwk?: JWK): Promise<TestOp> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: 'op-key', alg: 'RS256', use: 'sig' };
  const clientId = 'hookwarden';
  const clientSecret = 'hookwarden-client-secret-0123456789';
  let tamper: Record<string, unknown> | undefined;

  const http = createServer();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const op = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        redirect_uris: [`${hookwardenBase}/auth/sign-in/callback`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        ...(clientJwk
          ? { token_endpoint_auth_method: 'private_key_jwt', token_endpoint_auth_signing_alg: clientJwk.alg, jwks: { keys: [clientJwk] } }
          : { token_endpoint_auth_method: 'client_secret_basic', client_secret: clientSecret }),
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: ['test-op-cookie-key-0123456789'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], fhirUser: ['fhir_user'] },
    scopes: ['openid', 'email', 'fhirUser'],
    // Scope claims in the id_token itself, where Hookwarden reads them.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    async findAccount(_ctx: unknown, sub: string) {
      const account = accounts.find((a) => a.sub === sub);
      if (!account) return undefined;
      return { accountId: sub, claims: async () => ({ sub, fhir_user: account.fhir_user, email: account.email, email_verified: true }) };
    },
    // Consent is the hospital's business, not the test's: every request is granted what it asks.
    async loadExistingGrant(ctx: { oidc: { client: { clientId: string }; session: { accountId: string }; params: { scope: string }; provider: { Grant: new (o: object) => { addOIDCScope(s: string): void; save(): Promise<string> } } } }) {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope(ctx.oidc.params.scope);
      await grant.save();
      return grant;
    },
  });
  op.use(async (ctx: KoaContext, next: () => Promise<void>) => {
    await next();
    const body = ctx.body as { id_token?: string } | undefined;
    if (ctx.path === '/token' && tamper && body?.id_token) {
      const claims = { ...decodeJwt(body.id_token), ...tamper };
      tamper = undefined;
      body.id_token = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'op-key' }).sign(privateKey as CryptoKey);
    }
  });
  http.on('request', op.callback());

  return {
    issuer,
    clientId,
    clientSecret,
    tamperNextIdToken(claims) {
      tamper = claims;
    },
    signIn(sub, options = {}) {
      return async (jar: CookieJar, signInUrl: string) => {
        const page = await (await browse(jar, signInUrl)).text();
        const button = /<form method="post" action="\/auth\/sign-in\/upstream">([\s\S]*?)<\/form>/.exec(page);
        if (!button) throw new Error('no provider on the sign-in page');
        const csrf = /name="csrf" value="([^"]+)"/.exec(button[1])![1];
        const provider = /name="provider" value="([^"]+)"/.exec(button[1])![1];
        let res = await browse(jar, new URL('/auth/sign-in/upstream', signInUrl).href, { form: { csrf, provider } });
        // At the provider: its redirects, its login form, until it sends the browser back to Hookwarden.
        for (let hop = 0; hop < 12; hop++) {
          const location = res.headers.get('location');
          if (location?.startsWith(`${hookwardenBase}/auth/sign-in/callback`)) {
            const callback = new URL(location);
            options.alterCallback?.(callback);
            const back = await browse(jar, callback.href);
            if (back.status !== 303) throw Object.assign(new Error(`callback answered ${back.status}`), { status: back.status, page: await back.text() });
            return back.headers.get('location')!;
          }
          if (location) {
            res = await browse(jar, new URL(location, issuer).href);
            continue;
          }
          const html = await res.text();
          const { action, fields } = firstForm(html, res.url || issuer);
          res = await browse(jar, action, { form: { ...fields, ...(fields.prompt === 'login' ? { login: sub, password: 'any' } : {}) } });
        }
        throw new Error('the provider never sent the browser back');
      };
    },
    async close() {
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
