import type { Response } from 'express';

/** Escapes text for HTML element and attribute content. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Headers of every authorization page: no framing except the configured ancestors (RFC 9700 §4.16,
 * RFC 6749 §10.13), no Referer leaking codes or transaction ids (RFC 9700 §4.2.4), no caching.
 * No third-party resources: everything is inline and the CSP allows nothing else.
 */
export function setPageHeaders(res: Response, frameAncestors: readonly string[]): void {
  const ancestors = frameAncestors.length ? frameAncestors.join(' ') : "'none'";
  res.setHeader('Content-Security-Policy', `default-src 'none'; style-src 'unsafe-inline'; frame-ancestors ${ancestors}`);
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Pragma', 'no-cache');
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
}

function layout(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · Hookwarden</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;color:#1c1f23}label{display:block;margin:.75rem 0}
input,select{width:100%;padding:.4rem}button{margin-top:1rem;padding:.5rem 1rem}.error{color:#b3261e}</style></head>
<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

function form(csrf: string, fields: string, buttons = '<button type="submit">Continue</button>'): string {
  return `<form method="post" action="/auth/interaction"><input type="hidden" name="csrf" value="${escapeHtml(csrf)}">${fields}${buttons}</form>`;
}

/** Shown instead of redirecting when the client or redirect_uri cannot be trusted (RFC 6749 §4.1.2.1). */
export function errorPage(message: string): string {
  return layout('Authorization failed', `<p class="error">${escapeHtml(message)}</p>`);
}

/** Standalone launch: the user signs in with a local account. */
export function loginPage(csrf: string, clientName: string, error?: string): string {
  return layout(
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
  return layout(
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
  return layout(
    'Allow access?',
    `<p>${escapeHtml(clientName)} will be able to:</p>` +
      form(
        csrf,
        `<input type="hidden" name="step" value="consent"><ul>${items}</ul>`,
        '<button type="submit" name="decision" value="approve">Allow</button> <button type="submit" name="decision" value="deny">Deny</button>',
      ),
  );
}
