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

/** What the override page says: who, for whom, what and why (DESIGN.md "Authorization"). */
export interface OverridePageView {
  clientName: string;
  /** The user who authorizes (user name), shown so nobody authorizes in another's name. */
  userName: string;
  patientName: string;
  /** The action in plain words, e.g. "Create a medication order". */
  action: string;
  /** Each rule's reason in plain words. */
  reasons: readonly string[];
  level: 'confirm' | 'reauthenticate';
  error?: string;
}

/**
 * The step-up override page: `confirm` is an Authorize / Cancel form; `reauthenticate` asks the password of
 * the user the override is for, every time (RFC 9470 §3 `max_age=0`: no session satisfies it). Cancel
 * answers `access_denied`.
 */
export function overridePage(csrf: string, v: OverridePageView): string {
  const reasons = v.reasons.map((r) => `<li>${escapeHtml(r)}</li>`).join('');
  const password =
    v.level === 'reauthenticate'
      ? `<p>To authorize it, ${escapeHtml(v.userName)}, enter your password again.</p>` +
        '<label for="override-password">Password</label><input id="override-password" name="password" type="password" autocomplete="current-password" autofocus aria-describedby="override-why">'
      : '';
  return htmlPage(
    v.level === 'reauthenticate' ? 'Re-enter your password to override' : 'Confirm the override',
    `${v.error ? `<p class="error" role="alert">${escapeHtml(v.error)}</p>` : ''}` +
      `<p>${escapeHtml(v.clientName)} asks you to override a safety rule for one action.</p>` +
      `<dl><dt>Patient</dt><dd>${escapeHtml(v.patientName)}</dd><dt>Action</dt><dd>${escapeHtml(v.action)}</dd><dt>Why it was stopped</dt><dd id="override-why"><ul>${reasons}</ul></dd>` +
      `<dt>Authorizing as</dt><dd>${escapeHtml(v.userName)}</dd></dl>` +
      form(
        csrf,
        `<input type="hidden" name="step" value="override">${password}`,
        '<button type="submit" name="decision" value="authorize">Authorize this action</button> <button type="submit" name="decision" value="cancel" formnovalidate>Cancel</button>',
      ),
  );
}
