import { escapeHtml, htmlPage } from '../../http/html-page.js';

/** An upstream OpenID provider as the sign-in page offers it. */
export interface ProviderChoice {
  id: string;
  displayName: string;
}

/**
 * The authorization server's sign-in page: the configured OpenID providers first (each a button that
 * leaves for the provider), then the local account form when local users exist.
 */
export function signInPage(csrf: string, options: { local: boolean; providers: readonly ProviderChoice[]; error?: string }): string {
  const error = options.error ? `<p class="error" role="alert">${escapeHtml(options.error)}</p>` : '';
  const providers = options.providers
    .map(
      (p) =>
        `<form method="post" action="/auth/sign-in/upstream"><input type="hidden" name="csrf" value="${escapeHtml(csrf)}">` +
        `<input type="hidden" name="provider" value="${escapeHtml(p.id)}"><button type="submit">Sign in with ${escapeHtml(p.displayName)}</button></form>`,
    )
    .join('');
  const local = options.local
    ? `<form method="post" action="/auth/sign-in"><input type="hidden" name="csrf" value="${escapeHtml(csrf)}">` +
      '<label>User name <input name="username" autocomplete="username" required></label>' +
      '<label>Password <input name="password" type="password" autocomplete="current-password" required></label>' +
      '<button type="submit">Sign in</button></form>'
    : '';
  return htmlPage('Sign in', `<p>Sign in to open the app from the patient chart.</p>${error}${providers}${local}`);
}

/** After logout without a registered place to return to (OIDC RP-Initiated Logout 1.0 §3). */
export function signedOutPage(): string {
  return htmlPage('Signed out', '<p>You are signed out. Close this window, or open the app again from the patient chart.</p>');
}
