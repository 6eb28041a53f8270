import request from 'supertest';
import { DASHBOARD_CLIENT_ID, DASHBOARD_PATH } from '../../src/analytics/dashboard-client.js';
import { csrfOf, locationParams, pkce, txCookie } from './smart-harness.js';
import type { TestApp } from './test-app.js';

/**
 * Signs `username` in at the embedded authorization server as the analytics dashboard does (public
 * client, PKCE S256, standalone launch with login) and returns the access token response.
 */
export async function dashboardToken(t: TestApp, username: string, password: string, scope = 'openid fhirUser analytics.read'): Promise<Record<string, string>> {
  const { verifier, challenge } = pkce();
  const redirectUri = `${t.config.publicUrl}${DASHBOARD_PATH}`;
  const start = await request(t.server)
    .get('/auth/authorize')
    .query({
      response_type: 'code',
      client_id: DASHBOARD_CLIENT_ID,
      redirect_uri: redirectUri,
      scope,
      state: 'analytics-state',
      aud: `${t.config.publicUrl}/fhir`,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    })
    .expect(303);
  const cookie = txCookie(start.headers['set-cookie']);
  const login = await request(t.server).get('/auth/interaction').set('Cookie', cookie).expect(200);
  const done = await request(t.server)
    .post('/auth/interaction')
    .set('Cookie', cookie)
    .type('form')
    .send({ csrf: csrfOf(login.text), step: 'login', username, password })
    .expect(303);
  const code = locationParams(done.headers.location).get('code');
  if (!code) throw new Error(`no code after login: ${done.headers.location}`);
  const token = await request(t.server)
    .post('/auth/token')
    .type('form')
    .send({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: redirectUri, client_id: DASHBOARD_CLIENT_ID })
    .expect(200);
  return token.body as Record<string, string>;
}

/** Parses RFC 4180 CSV (quoted fields, CRLF) into records keyed by the header row. */
export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries((header ?? []).map((h, i) => [h, r[i] ?? ''])));
}
