import { escapeHtml, htmlPage } from '../http/html-page.js';

function form(csrf: string, fields: string, buttons = '<button type="submit">Continue</button>'): string {
  return `<form method="post" action="/auth/interaction"><input type="hidden" name="csrf" value="${escapeHtml(csrf)}">${fields}${buttons}</form>`;
}

/** Shown instead of redirecting when the client or redirect_uri cannot be trusted (RFC 6749 §4.1.2.1). */
export function errorPage(message: string): string {
  return htmlPage('Authorization failed', `<p class="error">${escapeHtml(message)}</p>`);
}

/** Standalone launch: the user signs in with a local account. */
export function loginPage(csrf: string, clientName: string, error?: string): string {
  return htmlPage(
    'Sign in',
    `<p>${escapeHtml(clientName)} asks to access health data.</p>${error ? `<p class="error">${escapeHtml(error)}</p>` : ''}` +
      form(
        csrf,
        '<input type="hidden" name="step" value="login"><label>User name <input name="username" autocomplete="username" required></label>' +
          '<label>Password <input name="password" type="password" autocomplete="current-password" required></label>',
        '<button type="submit">Sign in</button>',
      ),
  );
}

/** Standalone launch: choose the patient the app works on (SMART `context-standalone-patient`). */
export function patientPage(csrf: string, patients: readonly { id: string; name: string }[]): string {
  const options = patients.map((p) => `<option value="${escapeHtml(p.id)}">${escapeHtml(p.name)}</option>`).join('');
  return htmlPage(
    'Choose a patient',
    form(csrf, `<input type="hidden" name="step" value="patient"><label>Patient <select name="patient">${options}</select></label>`),
  );
}

/**
 * Consent: the user approves or denies, and may withhold single scopes (g10 "limited access app"):
 * each scope has a "withhold" box, unchecked by default, so a plain approval grants everything shown.
 */
export function consentPage(csrf: string, clientName: string, scope: string): string {
  const items = scope
    .split(' ')
    .filter((s) => s !== '')
    .map((s) => `<li><code>${escapeHtml(s)}</code> <label style="display:inline"><input type="checkbox" name="withhold" value="${escapeHtml(s)}" style="width:auto"> withhold</label></li>`)
    .join('');
  return htmlPage(
    'Allow access?',
    `<p>${escapeHtml(clientName)} will be able to:</p>` +
      form(
        csrf,
        `<input type="hidden" name="step" value="consent"><ul>${items}</ul>`,
        '<button type="submit" name="decision" value="approve">Allow</button> <button type="submit" name="decision" value="deny">Deny</button>',
      ),
  );
}
