import request from 'supertest';
import { FeedbackService } from '../src/cds/feedback.service.js';
import { DATABASE, type Database } from '../src/store/database.js';
import { requestFor } from './fixtures/cds/requests.js';
import { fixtureServices, medicationPrescribeService, orderSelectService, patientViewService } from './fixtures/cds/services.js';
import { expectOperationOutcome } from './helpers/cds-assertions.js';
import { startCdsTest, type CdsTestClient } from './helpers/cds-app.js';

type IssuedCard = { uuid: string; suggestions?: { uuid: string }[] };

/** Calls order-select and returns its card (uuid and suggestion uuids). */
async function issueCard(c: CdsTestClient, serviceId = orderSelectService.id, body = requestFor('order-select')): Promise<IssuedCard> {
  const res = await c.post(`/cds-services/${serviceId}`, body);
  expect(res.status).toBe(200);
  return res.body.cards[0];
}

const feedbackPath = (id: string) => `/cds-services/${id}/feedback`;
const accepted = (card: IssuedCard) => ({
  card: card.uuid,
  outcome: 'accepted',
  acceptedSuggestions: [{ id: card.suggestions?.[0].uuid }],
  outcomeTimestamp: '2026-11-23T09:30:00Z',
});
const overridden = (card: IssuedCard, overrideReason: Record<string, unknown>) => ({
  card: card.uuid,
  outcome: 'overridden',
  overrideReason,
  outcomeTimestamp: '2026-11-23T09:31:00.123+00:00',
});

async function feedbackRows(c: CdsTestClient, cardUuid: string): Promise<Record<string, unknown>[]> {
  return c.t.app.get<Database>(DATABASE).query('SELECT * FROM cds_feedback WHERE card_uuid = $1 ORDER BY id', [cardUuid]);
}

describe('CDS Hooks feedback (§Feedback)', () => {
  let c: CdsTestClient;
  beforeAll(async () => {
    c = await startCdsTest(fixtureServices);
  });
  afterAll(() => c.t.close());

  it('F1 accepted feedback → 200 {} and persisted with the card’s service, hookInstance and issuer', async () => {
    const body = requestFor('order-select');
    // Sent right after the call: the card was stored before the call's response.
    const card = await issueCard(c, orderSelectService.id, body);
    const res = await c.post(feedbackPath(orderSelectService.id), { feedback: [accepted(card)] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    const [row] = await feedbackRows(c, card.uuid);
    expect(row).toMatchObject({
      service_id: orderSelectService.id,
      hook_instance: body.hookInstance,
      issuer: c.ehr.issuer,
      outcome: 'accepted',
      accepted_suggestions: [{ id: card.suggestions?.[0].uuid }],
      override_reason: null,
      channel: 'jwt',
    });
    expect(new Date(row.outcome_timestamp as string).toISOString()).toBe('2026-11-23T09:30:00.000Z');
  });

  it('F2 overridden with a reason, a userComment, or both', async () => {
    const card = await issueCard(c);
    const reason = { system: 'http://hookwarden.test/override', code: 'benefit', display: 'Benefit outweighs risk' };
    const items = [overridden(card, { reason }), overridden(card, { userComment: 'monitored daily' }), overridden(card, { reason, userComment: 'both' })];
    items[1].outcomeTimestamp = '2026-11-23T09:32:00Z';
    items[2].outcomeTimestamp = '2026-11-23T09:33:00Z';
    expect((await c.post(feedbackPath(orderSelectService.id), { feedback: items })).status).toBe(200);
    const rows = await feedbackRows(c, card.uuid);
    expect(rows.map((r) => r.override_reason)).toEqual([{ reason }, { userComment: 'monitored daily' }, { reason, userComment: 'both' }]);
    expect(rows.every((r) => r.outcome === 'overridden')).toBe(true);
  });

  it('F3 the same feedback delivered twice is stored once', async () => {
    const card = await issueCard(c);
    const item = accepted(card);
    for (let i = 0; i < 2; i++) expect((await c.post(feedbackPath(orderSelectService.id), { feedback: [item, { ...item }] })).status).toBe(200);
    // Same content, different key order: still the same item.
    const reordered = Object.fromEntries(Object.entries(item).toReversed());
    expect((await c.post(feedbackPath(orderSelectService.id), { feedback: [reordered] })).status).toBe(200);
    expect(await feedbackRows(c, card.uuid)).toHaveLength(1);
  });

  it('F4 invalid feedback → 400 OperationOutcome naming the field, nothing stored', async () => {
    const card = await issueCard(c);
    const cases: [unknown, string][] = [
      [{ ...accepted(card), acceptedSuggestions: undefined }, 'feedback[0].acceptedSuggestions'],
      [{ ...accepted(card), acceptedSuggestions: [] }, 'feedback[0].acceptedSuggestions'],
      [{ ...accepted(card), outcome: 'ignored' }, 'feedback[0].outcome'],
      [{ ...accepted(card), outcomeTimestamp: '2026-11-23T10:30:00+01:00' }, 'feedback[0].outcomeTimestamp'],
      [{ ...accepted(card), outcomeTimestamp: '2026-11-23 09:30:00' }, 'feedback[0].outcomeTimestamp'],
      [{ ...accepted(card), card: undefined }, 'feedback[0].card'],
      [overridden(card, {}), 'feedback[0].overrideReason.reason'],
      [overridden(card, { reason: { code: 'x' } }), 'feedback[0].overrideReason.reason.system'],
    ];
    for (const [item, path] of cases) {
      const res = await c.post(feedbackPath(orderSelectService.id), { feedback: [item] });
      expectOperationOutcome(res, 400, ['invalid']);
      expect(res.body.issue.map((i: { expression: string[] }) => i.expression[0])).toContain(path);
    }
    const foreign = await c.post(feedbackPath(orderSelectService.id), { feedback: [{ ...accepted(card), acceptedSuggestions: [{ id: 'not-on-this-card' }] }] });
    expectOperationOutcome(foreign, 400, ['invalid']);
    expect(foreign.body.issue[0].expression).toEqual(['feedback[0].acceptedSuggestions[0].id']);
    for (const body of [{}, { feedback: [] }, { feedback: accepted(card) }, [accepted(card)]]) {
      expectOperationOutcome(await c.post(feedbackPath(orderSelectService.id), body), 400, ['invalid']);
    }
    expect(await feedbackRows(c, card.uuid)).toEqual([]);
  });

  it('F4 an unknown card, a card of another service, or an unknown service → 404 OperationOutcome', async () => {
    const card = await issueCard(c);
    const unknown = { ...accepted(card), card: '00000000-0000-4000-8000-000000000000' };
    expectOperationOutcome(await c.post(feedbackPath(orderSelectService.id), { feedback: [unknown] }), 404, ['not-found']);
    expectOperationOutcome(await c.post(feedbackPath(patientViewService.id), { feedback: [accepted(card)] }), 404, ['not-found']);
    expectOperationOutcome(await c.post(feedbackPath('no-such-service'), { feedback: [accepted(card)] }), 404, ['not-found']);
    expect(await feedbackRows(c, card.uuid)).toEqual([]);
  });

  it('F4 feedback about another EHR’s card → 404', async () => {
    const card = await issueCard(c, medicationPrescribeService.id, requestFor('medication-prescribe'));
    const service = c.t.app.get(FeedbackService);
    const other = { authenticated: true, issuer: 'https://other-ehr.test' };
    await expect(service.record(medicationPrescribeService.id, [{ ...accepted(card) }], 'signed-url', other)).rejects.toMatchObject({ status: 404 });
    expect(await service.record(medicationPrescribeService.id, [accepted(card)], 'signed-url', { authenticated: true, issuer: c.ehr.issuer })).toBe(1);
    expect((await feedbackRows(c, card.uuid))[0]).toMatchObject({ channel: 'signed-url' });
  });

  it('F5 feedback without a JWT for the feedback URL → 401 without detail', async () => {
    const card = await issueCard(c);
    const wrongAud = await c.ehr.sign(`https://hookwarden.test/cds-services/${orderSelectService.id}`);
    const res = await request(c.t.server).post(feedbackPath(orderSelectService.id)).set('Authorization', `Bearer ${wrongAud}`).send({ feedback: [accepted(card)] });
    expect(res.status).toBe(401);
    expect(JSON.stringify(res.body)).not.toMatch(/aud|audience|expired|signature/i);
    expect(await feedbackRows(c, card.uuid)).toEqual([]);
  });
});

describe('CDS Hooks feedback across a restart', () => {
  it('feedback acknowledged before a restart is still stored after it (same PGlite DATA_DIR)', async () => {
    const first = await startCdsTest(fixtureServices);
    const card = await issueCard(first);
    expect((await first.post(feedbackPath(orderSelectService.id), { feedback: [accepted(card)] })).status).toBe(200);
    // A card issued just before the stop was stored before its response, so the stop cannot lose it.
    const lastCard = await issueCard(first);
    await first.t.close({ keepData: true });

    const second = await startCdsTest(fixtureServices, { env: { dataDir: first.t.config.dataDir }, ehr: first.ehr });
    try {
      expect(await feedbackRows(second, card.uuid)).toHaveLength(1);
      const rows = await second.t.app.get<Database>(DATABASE).query('SELECT uuid FROM cds_cards WHERE uuid = $1', [lastCard.uuid]);
      expect(rows).toHaveLength(1);
      // Redelivery after the restart is still idempotent.
      const redelivered = await second.post(feedbackPath(orderSelectService.id), { feedback: [accepted(card)] });
      expect(redelivered.status).toBe(200);
      expect(await feedbackRows(second, card.uuid)).toHaveLength(1);
    } finally {
      await second.t.close();
    }
  });
});
