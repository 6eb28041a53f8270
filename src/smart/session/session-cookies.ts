import type { CookieOptions, Request, Response } from 'express';
import type { AppConfig } from '../../config/app-config.js';

/** The sign-in session (its id only; the session lives server-side). */
export const SESSION_COOKIE = 'hw_session';
/** A sign-in under way, so its form cannot be submitted from another browser (login CSRF, RFC 6749 §10.12). */
export const SIGN_IN_COOKIE = 'hw_signin';

/** A cookie's value from the request's Cookie header. */
export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/**
 * Every authorization-server cookie: only under /auth, never readable by scripts, not sent on cross-site
 * subrequests (SameSite=Lax still lets a top-level card-link navigation carry it), Secure under https.
 */
export function authCookieOptions(config: Pick<AppConfig, 'publicUrl'>, maxAgeSeconds?: number): CookieOptions {
  return {
    path: '/auth',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.publicUrl.startsWith('https:'),
    ...(maxAgeSeconds === undefined ? {} : { maxAge: maxAgeSeconds * 1000 }),
  };
}

/** Starts a sign-in in this browser and sends it to the sign-in page. */
export function sendToSignIn(res: Response, config: Pick<AppConfig, 'publicUrl'>, signInId: string): void {
  res.cookie(SIGN_IN_COOKIE, signInId, authCookieOptions(config));
  res.status(303).setHeader('Location', `${config.publicUrl}/auth/sign-in`).end();
}
