import { asEhr, expectOk } from '../lib/http.js';
import { fillBody } from '../lib/load.js';
import type { HttpRow } from '../lib/rows.js';
import { startFairBare } from '../servers/fair-bare.js';
import type { BenchCallers, BenchEhr } from '../servers/hookwarden.js';
import { measure } from './measure.js';
import type { Settings } from './settings.js';

/** Baseline ids the app rows divide by. */
export const FAIR_BARE = 'fair-bare';
export const FAIR_BARE_ES384 = 'fair-bare+es384';
export const FAIR_BARE_RS384 = 'fair-bare+rs384';

/**
 * The fair bare endpoint with the order-sign body, alone and with one verification per request of
 * each algorithm. The verifying server keeps no jti, so its tokens go round-robin.
 */
export async function baselineRows(settings: Settings, callers: BenchCallers, orderSign: string): Promise<HttpRow[]> {
  const server = await startFairBare([callers.es384.key, callers.rs384.key]);
  const variants: { id: string; label: string; path: string; ehr?: BenchEhr }[] = [
    { id: FAIR_BARE, label: 'fair bare', path: '/bare' },
    { id: FAIR_BARE_ES384, label: 'fair bare + ES384 verify', path: '/bare/es384', ehr: callers.es384 },
    { id: FAIR_BARE_RS384, label: 'fair bare + RS384 verify', path: '/bare/rs384', ehr: callers.rs384 },
  ];
  try {
    const rows: HttpRow[] = [];
    for (const { id, label, path, ehr } of variants) {
      const url = `${server.base}${path}`;
      const probe = fillBody(orderSign);
      if (ehr) await asEhr(url, ehr, probe);
      else await expectOk(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: probe });
      rows.push(
        ...(await measure(settings, { id, label }, () => ({
          url,
          method: 'POST',
          bodies: [orderSign],
          auth: ehr ? { kind: 'ehr-jwt', key: ehr.key, iss: ehr.issuer, aud: url, singleUse: false } : { kind: 'none' },
        }))),
      );
    }
    return rows;
  } finally {
    await server.stop();
  }
}
