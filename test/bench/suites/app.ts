import { asEhr, backendAccessToken, expectOk } from '../lib/http.js';
import { fillBody } from '../lib/load.js';
import type { Database, HttpRow } from '../lib/rows.js';
import { type BenchCallers, type BenchEhr, type Hookwarden, startHookwarden } from '../servers/hookwarden.js';
import { FAIR_BARE, FAIR_BARE_ES384 } from './baselines.js';
import { measure, progress, type RowHead } from './measure.js';
import type { Settings } from './settings.js';

const ORDER_SIGN = 'medication-safety-order-sign';
/** Order-sign calls made before the feedback rows, whose cards the feedback is about. */
const CARD_ISSUING_CALLS = 100;
/** The demo partition's patient with Observations (src/store/migrations/005_fhir.sql). */
const FHIR_SEARCH = '/fhir/Observation?patient=demo-patient-1';

interface Card {
  uuid: string;
  overrideReasons?: { code: string; system: string; display?: string }[];
}

interface Ctx {
  settings: Settings;
  callers: BenchCallers;
  app: Hookwarden;
  database: Database;
  /** The order-sign body template (fillBody). */
  orderSign: string;
}

function ehrTarget(ctx: Ctx, path: string, ehr: BenchEhr, bodies?: string[]) {
  const url = `${ctx.app.base}${path}`;
  return () => ({ url, method: bodies ? ('POST' as const) : ('GET' as const), bodies, auth: { kind: 'ehr-jwt' as const, key: ehr.key, iss: ehr.issuer, aud: url, singleUse: true } });
}

function head(ctx: Ctx, row: Omit<RowHead, 'database'>): RowHead {
  return { ...row, database: ctx.database };
}

async function discovery(ctx: Ctx): Promise<HttpRow[]> {
  const answer = (await asEhr(`${ctx.app.base}/cds-services`, ctx.callers.es384)) as { services: unknown[] };
  return measure(
    ctx.settings,
    head(ctx, { id: 'discovery', label: 'GET /cds-services (ES384)', baseline: FAIR_BARE_ES384, note: `${answer.services.length} services` }),
    ehrTarget(ctx, '/cds-services', ctx.callers.es384),
  );
}

async function orderSignCalls(ctx: Ctx, alg: 'es384' | 'rs384'): Promise<HttpRow[]> {
  const ehr = ctx.callers[alg];
  const path = `/cds-services/${ORDER_SIGN}`;
  const answer = (await asEhr(`${ctx.app.base}${path}`, ehr, fillBody(ctx.orderSign))) as { cards: Card[] };
  return measure(
    ctx.settings,
    head(ctx, {
      id: `order-sign-${alg}`,
      label: `POST order-sign, 20-resource prefetch (${ehr.key.alg})`,
      // Issue 14's targets: ES384 against "fair bare + one ES384 verification", RS384 against the fair bare endpoint.
      baseline: alg === 'es384' ? FAIR_BARE_ES384 : FAIR_BARE,
      note: `${answer.cards.length} card(s) per call`,
    }),
    ehrTarget(ctx, path, ehr, [ctx.orderSign]),
  );
}

async function fhirSearch(ctx: Ctx): Promise<HttpRow[]> {
  const url = `${ctx.app.base}${FHIR_SEARCH}`;
  const probe = (await expectOk(url, { headers: { authorization: `Bearer ${await backendAccessToken(ctx.app.base, ctx.callers.backend)}` } })) as { total: number };
  return measure(
    ctx.settings,
    head(ctx, { id: 'fhir-search', label: `GET ${FHIR_SEARCH} (backend token)`, baseline: FAIR_BARE, note: `${probe.total} matches; ${ctx.callers.backend.scope} via client_credentials` }),
    async () => ({ url, method: 'GET', auth: { kind: 'bearer', token: await backendAccessToken(ctx.app.base, ctx.callers.backend) } }),
  );
}

/** Cards issued by real order-sign calls before the window; each feedback request reports on one of them. */
async function issueCards(ctx: Ctx): Promise<Card[]> {
  const url = `${ctx.app.base}/cds-services/${ORDER_SIGN}`;
  const cards: Card[] = [];
  for (let i = 0; i < CARD_ISSUING_CALLS; i++) cards.push(...((await asEhr(url, ctx.callers.es384, fillBody(ctx.orderSign))) as { cards: Card[] }).cards);
  return cards;
}

/** §Feedback: an override with the card's own first reason; the `{{uuid}}` in the comment makes every request a new item. */
function feedbackBody(card: Card, outcomeTimestamp: string): string {
  const reason = card.overrideReasons?.[0];
  const userComment = 'bench {{uuid}}';
  return JSON.stringify({ feedback: [{ card: card.uuid, outcome: 'overridden', overrideReason: reason ? { reason, userComment } : { userComment }, outcomeTimestamp }] });
}

async function feedback(ctx: Ctx): Promise<HttpRow[]> {
  progress(`issuing cards for the feedback rows (${CARD_ISSUING_CALLS} order-sign calls)`);
  const cards = await issueCards(ctx);
  if (cards.length === 0) throw new Error('the order-sign body issued no cards: nothing to send feedback for');
  const path = `/cds-services/${ORDER_SIGN}/feedback`;
  const outcomeTimestamp = new Date().toISOString();
  const bodies = cards.map((card) => feedbackBody(card, outcomeTimestamp));
  await asEhr(`${ctx.app.base}${path}`, ctx.callers.es384, fillBody(bodies[0]));
  return measure(
    ctx.settings,
    head(ctx, { id: 'feedback', label: 'POST order-sign/feedback (ES384)', baseline: FAIR_BARE_ES384, note: `round-robin over ${cards.length} cards` }),
    ehrTarget(ctx, path, ctx.callers.es384, bodies),
  );
}

/** Group commit over the whole run on one server: per table, statements, mean rows per statement, and the largest bucket reached. */
export type BatchSizes = Record<string, { statements: number; meanRows: number; largestBucket: string }>;

/** Reads the group-commit histogram off the server's /metrics (hookwarden_store_batch_size). */
async function batchSizes(base: string): Promise<BatchSizes> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const seen = new Map<string, { sum: number; count: number; buckets: [string, number][] }>();
  for (const line of text.split('\n')) {
    const m = /^hookwarden_store_batch_size_(sum|count|bucket)\{(.*)\} (\S+)$/.exec(line);
    if (!m) continue;
    const [, part, labels = '', raw] = m;
    const table = /table="([^"]+)"/.exec(labels)?.[1] ?? '?';
    const t = seen.get(table) ?? { sum: 0, count: 0, buckets: [] };
    seen.set(table, t);
    if (part === 'sum') t.sum = Number(raw);
    else if (part === 'count') t.count = Number(raw);
    else t.buckets.push([/le="([^"]+)"/.exec(labels)?.[1] ?? '', Number(raw)]);
  }
  return Object.fromEntries(
    [...seen].map(([table, t]) => {
      // Cumulative buckets: the largest batch lies in the first bucket that holds every statement.
      const bucket = t.buckets.find(([, n]) => n === t.count)?.[0];
      return [table, { statements: t.count, meanRows: t.count ? Math.round((t.sum / t.count) * 100) / 100 : 0, largestBucket: bucket ? `≤ ${bucket}` : '-' }];
    }),
  );
}

/**
 * Every app row on one database, against a fresh server. A new row is one more function like those
 * above (set-up and a probe outside the window, then `measure` with a baseline id), e.g. analytics
 * summaries over a seeded event table.
 */
export async function appRows(
  settings: Settings,
  callers: BenchCallers,
  database: Database,
  orderSign: string,
  databaseUrl?: string,
  batches: Partial<Record<Database, BatchSizes>> = {},
): Promise<HttpRow[]> {
  progress(`starting Hookwarden on ${database}`);
  const app = await startHookwarden(callers, databaseUrl);
  const ctx: Ctx = { settings, callers, app, database, orderSign };
  try {
    const rows = [...(await discovery(ctx)), ...(await orderSignCalls(ctx, 'es384')), ...(await orderSignCalls(ctx, 'rs384')), ...(await fhirSearch(ctx)), ...(await feedback(ctx))];
    batches[database] = await batchSizes(app.base);
    return rows;
  } finally {
    await app.stop();
  }
}
