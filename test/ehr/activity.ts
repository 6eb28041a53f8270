import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Card, CdsRequest, CdsResponse } from '../../src/cds/cds-types.js';
import { CookieJar, followCardLink } from '../helpers/sign-in.js';
import { asClinician, type HttpResult } from './ehr-client.js';

/** Signs a CDS client JWT for `aud` (the demo EHR key, or a test EHR). */
export type SignJwt = (aud: string) => Promise<string>;

/** How much activity to send: a week of a small clinic by default. */
export interface ActivityOptions {
  days: number;
  callsPerDay: number;
  /** Same seed, same choices (scenarios, outcomes, clicks): runs are reproducible. */
  seed: number;
  /** Scenario files (CDS request bodies) to draw the hook calls from. */
  scenarios: string[];
  /** The bundled app the card links launch, and its registered redirect URI. */
  appClientId: string;
  appRedirectUri: string;
  /** The EHR's signed-in clinician: every hook names them, and they sign in (once) when a card link asks. */
  clinician: { username: string; password: string; fhirUser: string };
}

/** What was sent, to print and to check against the analytics summary. */
export interface ActivityTally {
  calls: number;
  cards: number;
  accepted: number;
  overridden: number;
  byJwt: number;
  bySignedUrl: number;
  clicks: number;
  tokens: number;
}

/** mulberry32: a tiny seeded PRNG, so "random" activity is the same on every run with a seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * What clinicians do with a card, by indicator: interaction alerts are mostly overridden (49–96 %
 * in the literature), warnings a little less, information cards mostly ignored.
 */
const BEHAVIOUR: Record<Card['indicator'], { override: number; accept: number; click: number }> = {
  critical: { override: 0.55, accept: 0.25, click: 0.3 },
  warning: { override: 0.45, accept: 0.2, click: 0.15 },
  info: { override: 0.05, accept: 0.05, click: 0.05 },
};
/** Of the launches a click mints, how many the clinician follows through to the app. */
const LAUNCH_COMPLETION = 0.7;
/** Of the feedback sent, how much comes by the card's signed URL rather than the EHR's JWT call. */
const SIGNED_URL_SHARE = 0.4;
/** Weekday clinics are busier than weekends. */
const WEEKEND_FACTOR = 0.3;

const FEEDBACK_URL_EXTENSION = 'dev.hookwarden.feedback-url';

/**
 * Sends `days` of hook calls, feedback (by JWT and by signed URL), card-link clicks and app
 * launches through the real endpoints of the server at `base`. The server stamps what it records
 * with its own clock, so a run records now what a week of a clinic would; the mix, not the dates,
 * is the week's.
 */
export async function generateActivity(base: string, sign: SignJwt, opts: ActivityOptions, print: (line: string) => void): Promise<ActivityTally> {
  const rnd = prng(opts.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const bodies = opts.scenarios.map((file) => asClinician(JSON.parse(readFileSync(file, 'utf8')) as CdsRequest, opts.clinician.fhirUser));
  // One browser for the whole run: the clinician signs in at the first card link and the session serves the rest.
  const browser = new CookieJar();
  const tally: ActivityTally = { calls: 0, cards: 0, accepted: 0, overridden: 0, byJwt: 0, bySignedUrl: 0, clicks: 0, tokens: 0 };
  const services = await discover(base, sign);

  for (let day = 0; day < opts.days; day++) {
    const weekend = day % 7 >= 5;
    const calls = Math.round(opts.callsPerDay * (weekend ? WEEKEND_FACTOR : 1));
    for (let i = 0; i < calls; i++) {
      const body = pick(bodies);
      const service = services.find((s) => s.hook === body.hook);
      if (!service) continue;
      const result = await post(base, `/cds-services/${encodeURIComponent(service.id)}`, { ...body, hookInstance: randomUUID() }, sign);
      tally.calls++;
      if (result.status !== 200) continue;
      for (const card of (result.body as CdsResponse).cards) {
        tally.cards++;
        const b = BEHAVIOUR[card.indicator];
        const link = card.links?.find((l) => l.url.startsWith(`${base}/cds-links/`));
        if (link && rnd() < b.click) {
          tally.clicks++;
          if (await launch(base, link.url, rnd() < LAUNCH_COMPLETION, opts, browser)) tally.tokens++;
        }
        const r = rnd();
        const item =
          r < b.override && card.overrideReasons?.length
            ? { card: card.uuid, outcome: 'overridden', overrideReason: { reason: pick(card.overrideReasons) }, outcomeTimestamp: new Date().toISOString() }
            : r < b.override + b.accept && card.suggestions?.length
              ? { card: card.uuid, outcome: 'accepted', acceptedSuggestions: [{ id: card.suggestions[0]?.uuid }], outcomeTimestamp: new Date().toISOString() }
              : undefined;
        if (!item) continue;
        const signedUrl = (card.extension as Record<string, string> | undefined)?.[FEEDBACK_URL_EXTENSION];
        const bySignedUrl = signedUrl !== undefined && rnd() < SIGNED_URL_SHARE;
        const sent = bySignedUrl
          ? await post(base, new URL(signedUrl).pathname, { feedback: [item] })
          : await post(base, `/cds-services/${encodeURIComponent(service.id)}/feedback`, { feedback: [item] }, sign);
        if (sent.status !== 200) throw new Error(`feedback answered HTTP ${sent.status}: ${JSON.stringify(sent.body)}`);
        tally[item.outcome === 'accepted' ? 'accepted' : 'overridden']++;
        tally[bySignedUrl ? 'bySignedUrl' : 'byJwt']++;
      }
    }
    print(`day ${day + 1}/${opts.days}: ${calls} calls`);
  }
  return tally;
}

async function discover(base: string, sign: SignJwt): Promise<{ id: string; hook: string }[]> {
  const res = await request(base, '/cds-services', undefined, sign);
  if (res.status !== 200) throw new Error(`discovery answered HTTP ${res.status}`);
  return (res.body as { services: { id: string; hook: string }[] }).services;
}

function post(base: string, path: string, body: unknown, sign?: SignJwt): Promise<HttpResult> {
  return request(base, path, body, sign);
}

async function request(base: string, path: string, body: unknown, sign?: SignJwt): Promise<HttpResult> {
  const url = `${base}${path}`;
  const res = await fetch(url, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      accept: 'application/json',
      ...(sign ? { authorization: `Bearer ${await sign(url)}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

/**
 * A clinician clicks the card's app link; with `complete`, the app then completes its EHR launch
 * (PKCE): authorize → token. True when a token was issued.
 */
async function launch(base: string, linkUrl: string, complete: boolean, opts: ActivityOptions, browser: CookieJar): Promise<boolean> {
  const { launchUrl: target } = await followCardLink(base, linkUrl, opts.clinician, browser);
  if (!complete) return false;
  const verifier = randomBytes(32).toString('base64url');
  const authorize = new URL('/auth/authorize', base);
  authorize.search = new URLSearchParams({
    response_type: 'code',
    client_id: opts.appClientId,
    redirect_uri: opts.appRedirectUri,
    scope: 'launch openid fhirUser patient/MedicationRequest.rs',
    state: randomUUID(),
    aud: target.searchParams.get('iss') ?? '',
    launch: target.searchParams.get('launch') ?? '',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  const answer = await fetch(authorize, { redirect: 'manual' });
  const code = new URL(answer.headers.get('location') ?? base).searchParams.get('code');
  if (!code) return false;
  const token = await fetch(`${base}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: opts.appRedirectUri, client_id: opts.appClientId }),
  });
  return token.status === 200;
}
