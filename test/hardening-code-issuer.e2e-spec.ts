import { openDatabase } from '../src/store/open-database.js';
import type { Database } from '../src/store/database.js';
import { createSmartApp, ehrLaunchCode, exchange, type SmartTestApp } from './helpers/smart-harness.js';

// Issue 10 item 13: two authorization servers (different PUBLIC_URL) sharing one database. A code is
// redeemed only where it was issued (RFC 6749 §4.1.3; RFC 9207 §2 names the issuer in the response).
describe('item 13: authorization codes are bound to their issuer', () => {
  let db: Database;
  let here: SmartTestApp;
  let elsewhere: SmartTestApp;
  beforeAll(async () => {
    db = await openDatabase({ dataDir: 'memory://' });
    here = await createSmartApp({}, undefined, {}, db);
    elsewhere = await createSmartApp({}, here.backendKey, { publicUrl: 'https://elsewhere.test' }, db);
  });
  afterAll(async () => {
    await here.close();
    await elsewhere.close().catch(() => undefined);
    await db.close();
  });

  it('item 13: a code issued by another PUBLIC_URL → 400 invalid_grant, and it stays redeemable where it was issued', async () => {
    const { code, verifier } = await ehrLaunchCode(here);
    const refused = await exchange(elsewhere, code, verifier);
    expect({ status: refused.status, error: refused.body.error }).toEqual({ status: 400, error: 'invalid_grant' });
    expect(refused.body.access_token).toBeUndefined();
    // Refused without spending or revoking it: the issuer's own client still redeems it.
    const redeemed = await exchange(here, code, verifier);
    expect(redeemed.status).toBe(200);
    expect(redeemed.body.access_token).toEqual(expect.any(String));
  });

  it('item 13: each instance redeems its own codes', async () => {
    const { code, verifier } = await ehrLaunchCode(elsewhere, { aud: 'https://elsewhere.test/fhir' }, { iss: 'https://elsewhere.test/fhir' });
    expect((await exchange(elsewhere, code, verifier)).status).toBe(200);
  });
});
