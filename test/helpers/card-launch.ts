import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Card, CdsResponse } from '../../src/cds/cds-types.js';
import { makeTestEhr, type TestEhr } from './ehr-jwt.js';
import { type Credentials, CookieJar, followCardLink, type LinkClick, type SignIn } from './sign-in.js';
import { APP_REDIRECT, freePort } from './smart-harness.js';
import { buildTestConfig, createTestApp, type TestApp } from './test-app.js';

/** The hook service whose cards link to the bundled medication-review app. */
const CARD_SERVICE = 'medication-safety-order-sign';

/** The parts of a medication-safety hook fixture the launch tests look at. */
export interface HookFixture {
  context: { patientId: string; draftOrders: { entry: { resource: { id: string } }[] } };
  prefetch: { medicationRequests: { entry: { resource: { id: string } }[] } };
  [key: string]: unknown;
}

/** Reads hooks/medication-safety/fixtures/not-ok/<name>.json. */
export function notOkFixture(name: string): HookFixture {
  return JSON.parse(readFileSync(new URL(`../../hooks/medication-safety/fixtures/not-ok/${name}.json`, import.meta.url), 'utf8')) as HookFixture;
}

/** The MedicationRequest ids of the hook snapshot: the draft orders plus the prefetched ones, sorted. */
export function snapshotMedicationIds(fixture: HookFixture): string[] {
  return [...fixture.context.draftOrders.entry, ...fixture.prefetch.medicationRequests.entry].map((e) => e.resource.id).sort();
}

/** The scopes the bundled app asks for (hooks/medication-safety/app/launch.js). */
export const BUNDLED_APP_SCOPE =
  'launch openid fhirUser patient/Patient.rs patient/MedicationRequest.rs patient/MedicationStatement.rs patient/AllergyIntolerance.rs patient/Medication.rs';

/** What a live card app registers besides the bundled app's client. */
export interface LiveCardAppOptions {
  /** FHIR types `medication-review` may write. */
  writableTypes?: string[];
  /** More SMART clients. */
  clients?: Record<string, unknown>[];
  /** More of the configuration file (users, overrides, lifetimes). */
  file?: Record<string, unknown>;
  /** The loopback port to listen on (a free one when unset), for a peer that must know the URL first. */
  port?: number;
}

/** The app running on a real loopback port whose public URL is that address, trusting one test EHR. */
export interface LiveCardApp {
  t: TestApp;
  base: string;
  fhirBase: string;
  ehr: TestEhr;
  /** The bundled app's own redirect URI (the one a browser uses). */
  appRedirect: string;
  /** Makes the signed hook call with `fixture` (fresh hookInstance) and returns the first card's app link. */
  cardAppLink(fixture: HookFixture): Promise<string>;
  /**
   * A browser with `jar` clicks `link`: follows it through Hookwarden, signing in as `as` when the sign-in
   * page comes, to the app's launch URL. Throws with the status and page when a click is refused.
   */
  openLink(link: string, as?: Credentials | SignIn, jar?: CookieJar): Promise<LinkClick>;
}

/**
 * Boots the real AppModule listening on 127.0.0.1 with `publicUrl` = that address, so discovery, `iss`
 * and `aud` name what clients really call. `medication-review` is registered like the bundled app
 * (launch.html, index.html) plus APP_REDIRECT for Node client libraries, which cannot serve index.html;
 * `scope` is its registered scope ceiling.
 */
export async function startLiveCardApp(scope = BUNDLED_APP_SCOPE, options: LiveCardAppOptions = {}): Promise<LiveCardApp> {
  const port = options.port ?? (await freePort());
  const base = `http://127.0.0.1:${port}`;
  const appRedirect = `${base}/apps/medication-review/index.html`;
  const ehr = await makeTestEhr();
  const config = buildTestConfig(
    {
      ehrs: [ehr.config()],
      smartClients: [
        {
          clientId: 'medication-review',
          name: 'Medication Review',
          launchUrl: `${base}/apps/medication-review/launch.html`,
          redirectUris: [appRedirect, APP_REDIRECT],
          scope,
          auth: 'none',
          autoApprove: true,
          writableTypes: options.writableTypes ?? [],
        },
        ...(options.clients ?? []),
      ],
      ...options.file,
    },
    { publicUrl: base, port },
  );
  const t = await createTestApp(config);
  await t.app.listen(port, '127.0.0.1');
  return {
    t,
    base,
    fhirBase: `${base}/fhir`,
    ehr,
    appRedirect,
    async cardAppLink(fixture) {
      const url = `${base}/cds-services/${CARD_SERVICE}`;
      const res = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${await ehr.sign(url)}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ...fixture, hookInstance: randomUUID() }),
      });
      if (res.status !== 200) throw new Error(`hook call answered ${res.status}: ${await res.text()}`);
      const { cards } = (await res.json()) as CdsResponse;
      const link = cards.flatMap((c: Card) => c.links ?? []).find((l) => l.url.startsWith(`${base}/cds-links/`));
      if (!link) throw new Error('no card carries an app link');
      return link.url;
    },
    openLink(link, as, jar = new CookieJar()) {
      return followCardLink(base, link, as, jar);
    },
  };
}
