import { hashPasswordSync } from '../src/config/demo.js';
import { DATABASE, type Database } from '../src/store/database.js';
import { notOkFixture, startLiveCardApp, type LiveCardApp } from './helpers/card-launch.js';
import { openidClientEhrLaunch } from './helpers/smart-harness.js';
import { ClickRefused, CookieJar } from './helpers/sign-in.js';

// A card link is no bearer credential (DESIGN.md flow 2): it launches only for the signed-in user the hook
// named, a bounded number of times, and every refusal is recorded.
const FIXTURE = notOkFixture('order-sign-statin-macrolide');
const PRESCRIBER = { username: 'dr.prescriber', password: 'prescriber-pass' };
const COLLEAGUE = { username: 'dr.colleague', password: 'colleague-pass' };
const SCOPE = 'launch openid fhirUser patient/MedicationRequest.rs';

/** The ClickRefused a click ends in. */
async function refusal(click: Promise<unknown>): Promise<ClickRefused> {
  const e = await click.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(e).toBeInstanceOf(ClickRefused);
  return e as ClickRefused;
}

describe('card launches bound to the clinician the hook named', () => {
  let live: LiveCardApp;
  let db: Database;
  beforeAll(async () => {
    live = await startLiveCardApp(undefined, {
      file: {
        users: [
          { username: PRESCRIBER.username, passwordHash: hashPasswordSync(PRESCRIBER.password), fhirUser: 'Practitioner/demo-practitioner', roles: ['clinician'] },
          { username: COLLEAGUE.username, passwordHash: hashPasswordSync(COLLEAGUE.password), fhirUser: 'Practitioner/colleague', roles: ['clinician'] },
        ],
        links: { maxLaunches: 5 },
      },
    });
    db = live.t.app.get(DATABASE);
  }, 60_000);
  afterAll(() => live?.t.close());

  /** The click outcomes recorded for the newest card link (each test's hook call issues one). */
  const newestLinkOutcomes = async () =>
    (await db.query<{ outcome: string }>('SELECT outcome FROM link_events WHERE link_id = (SELECT id FROM card_links ORDER BY issued_at DESC LIMIT 1) ORDER BY id')).map(
      (r) => r.outcome,
    );

  it('adversarial case: one URL clicked five times from one browser asks one sign-in; another browser gets no launch without signing in', async () => {
    const link = await live.cardAppLink(FIXTURE);
    const browserA = new CookieJar();
    const clicks = [];
    for (let i = 0; i < 5; i++) clicks.push(await live.openLink(link, PRESCRIBER, browserA));
    expect(clicks.map((c) => c.signedIn)).toEqual([true, false, false, false, false]);
    expect(new Set(clicks.map((c) => c.launchUrl.searchParams.get('launch'))).size).toBe(5);

    // Browser B has the URL (history, a proxy log, a forwarded message) but no session: the sign-in page, no launch.
    const stolen = await refusal(live.openLink(link, undefined, new CookieJar()));
    expect(stolen.page).toBe('sign-in page, no credentials');
  });

  it('the launch after sign-in completes with openid-client as the app, as the hook user (id_token fhirUser)', async () => {
    const link = await live.cardAppLink(FIXTURE);
    const { launchUrl } = await live.openLink(link, PRESCRIBER);
    const iss = launchUrl.searchParams.get('iss')!;
    const { tokens } = await openidClientEhrLaunch(iss, 'medication-review', launchUrl.searchParams.get('launch')!, SCOPE);
    expect(tokens.claims()?.fhirUser).toBe(`${iss}/Practitioner/demo-practitioner`);
    expect(tokens.patient).toBe(FIXTURE.context.patientId);
  });

  it('another signed-in clinician is refused with a page (403, no redirect), and the refusal is recorded as wrong_user', async () => {
    const link = await live.cardAppLink(FIXTURE);
    const refused = await refusal(live.openLink(link, COLLEAGUE));
    expect(refused.status).toBe(403);
    expect(refused.page).toContain('<h1>Link issued to another user</h1>');
    expect(await newestLinkOutcomes()).toEqual(['wrong_user']);
  });

  it('past links.maxLaunches the link is refused (403 page) and the refusal is recorded as exhausted', async () => {
    const link = await live.cardAppLink(FIXTURE);
    const jar = new CookieJar();
    for (let i = 0; i < 5; i++) await live.openLink(link, PRESCRIBER, jar);
    const refused = await refusal(live.openLink(link, PRESCRIBER, jar));
    expect(refused.status).toBe(403);
    expect(refused.page).toContain('<h1>Link already used</h1>');
    expect(await newestLinkOutcomes()).toEqual(['launched', 'launched', 'launched', 'launched', 'launched', 'exhausted']);
  });

  it('a tampered link is refused before any sign-in is asked', async () => {
    const link = await live.cardAppLink(FIXTURE);
    const refused = await refusal(live.openLink(`${link.slice(0, -3)}AAA`, undefined, new CookieJar()));
    expect(refused.status).toBe(403);
  });
});
