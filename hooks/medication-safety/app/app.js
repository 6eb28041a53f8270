// The redirect target: exchange the code (PKCE), show the review, and act on the card's finding: order the
// safer alternative, or keep the order with a coded reason, going through the step-up override when /fhir
// refuses the write (DESIGN.md "Step-up override protocol"), then show what was recorded.
import { challengeOf, CLIENT_ID, exchangeCode, random } from './oauth.js';

const $ = (id) => document.getElementById(id);
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const FHIR_JSON = 'application/fhir+json';

// Each item renders to [text, tag?]; a list whose read succeeded is shown even when empty, with
// `empty`, so "none recorded" never looks like "not loaded".
function show(id, items, toLine, empty) {
  if (!items.length && !empty) return;
  $(id).hidden = false;
  const list = $(id).querySelector('ul');
  list.replaceChildren();
  for (const [text, tag] of items.length ? items.map(toLine) : [[empty]]) {
    const li = document.createElement('li');
    li.textContent = text;
    if (tag) {
      const span = document.createElement('span');
      span.className = 'tag';
      span.textContent = tag;
      li.append(span);
    }
    list.append(li);
  }
}

const resources = (bundle) => (bundle?.entry ?? []).map((e) => e.resource).filter(Boolean);

const medName = (r) => {
  const cc = r.medicationCodeableConcept ?? r.code;
  const rx = cc?.coding?.find((c) => c.system === RXNORM);
  return `${cc?.text ?? rx?.display ?? 'Unnamed medication'}${rx ? ` (RxNorm ${rx.code})` : ' (no RxNorm code)'}`;
};

// The dose matters as much as the drug when judging an interaction.
const withDose = (name, dosage) => (dosage?.[0]?.text ? `${name} — ${dosage[0].text}` : name);
const orderLine = (r) => [withDose(medName(r), r.dosageInstruction)];
// MedicationStatements are what the patient reports taking, not orders: tagged so they are not mistaken for one.
const statementLine = (s) => [withDose(medName(s), s.dosage), 'reported'];
const allergyLine = (a) => {
  const reaction = (a.reaction ?? []).flatMap((r) => r.manifestation ?? []).map((m) => m.text ?? m.coding?.[0]?.display).filter(Boolean);
  const name = a.code?.text ?? a.code?.coding?.[0]?.display ?? 'Allergy';
  return [reaction.length ? `${name} — ${reaction.join(', ')}` : name];
};

const personName = (p) => {
  const n = p?.name?.[0];
  return n ? n.text ?? `${(n.given ?? []).join(' ')} ${n.family ?? ''}`.trim() : undefined;
};

function status(text, error = false) {
  $('status').textContent = text;
  $('status').className = error ? 'error' : '';
}

/** The card's launch context: JSON with summary, draft, alternative and reasons; a plain string is a summary. */
function launchContext(appContext) {
  if (!appContext) return undefined;
  try {
    const parsed = JSON.parse(appContext);
    if (parsed && typeof parsed.summary === 'string') return parsed;
  } catch {
    // Another EHR's appContext: shown as it is.
  }
  return { summary: appContext, reasons: [] };
}

/** A /fhir request with `accessToken`; the caller decides what a status means. */
function fhir(session, accessToken, method, path, body) {
  return fetch(`${session.iss}/${path}`, {
    method,
    headers: { authorization: `Bearer ${accessToken}`, accept: FHIR_JSON, ...(body ? { 'content-type': FHIR_JSON } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
}

/** Reads and shows the review: banner, why, the lists, and the choices for the card's draft order. */
async function render(session) {
  const { token } = session;
  const failed = [];
  const get = async (path, type) => {
    const r = await fhir(session, token.access_token, 'GET', path);
    if (r.ok) return r.json();
    failed.push(`${type} (HTTP ${r.status})`);
    return undefined;
  };
  const patientQuery = `patient=${encodeURIComponent(token.patient)}`;
  const [patient, meds, statements, allergies] = await Promise.all([
    get(`Patient/${encodeURIComponent(token.patient)}`, 'Patient'),
    get(`MedicationRequest?${patientQuery}`, 'MedicationRequest'),
    get(`MedicationStatement?${patientQuery}`, 'MedicationStatement'),
    get(`AllergyIntolerance?${patientQuery}`, 'AllergyIntolerance'),
  ]);
  const name = personName(patient) ?? `Patient ${token.patient}`;
  $('patient').textContent = name;
  // SMART need_patient_banner: the EHR shows no banner around this app, so the app must.
  if (token.need_patient_banner) {
    $('banner').hidden = false;
    $('banner-name').textContent = name;
    $('banner-details').textContent = [patient?.gender, patient?.birthDate && `born ${patient.birthDate}`].filter(Boolean).join(', ');
  }
  const ctx = launchContext(token.appContext);
  if (ctx) {
    $('context').hidden = false;
    $('app-context').textContent = ctx.summary;
  }
  const requests = resources(meds);
  const active = [...requests.filter((r) => r.status === 'active').map(orderLine), ...resources(statements).filter((s) => s.status === 'active').map(statementLine)];
  show('meds', active, (line) => line, meds && statements ? 'No active medications recorded' : undefined);
  show('drafts', requests.filter((r) => r.status === 'draft'), orderLine);
  show('allergies', resources(allergies), allergyLine, allergies ? 'No allergies recorded' : undefined);
  if (failed.length) status(`Could not read ${failed.join(', ')}: the lists below may be incomplete.`, true);
  else status('');
  $('scope').textContent = `Granted: ${token.scope}`;
  const draft = ctx?.draft && requests.find((r) => `MedicationRequest/${r.id}` === ctx.draft && r.status === 'draft');
  if (draft && !offered) offerChoices(session, ctx, draft);
}

/** The choices are wired once per page: the review may be rendered again after a write. */
let offered = false;

/** The two ways out of the finding: the card's safer alternative, or keeping the order with a coded reason. */
function offerChoices(session, ctx, draft) {
  offered = true;
  $('decide').hidden = false;
  $('decide-order').textContent = orderLine(draft)[0];
  if (ctx.alternative) {
    $('alternative').hidden = false;
    $('alternative-label').textContent = ctx.alternative.label;
    $('use-alternative').addEventListener('click', () =>
      act(session, { method: 'POST', path: 'MedicationRequest', body: ctx.alternative.resource, done: `Ordered instead: ${medName(ctx.alternative.resource)}.` }),
    );
  }
  const select = $('keep-reason');
  for (const reason of ctx.reasons) {
    const option = document.createElement('option');
    option.value = reason.code;
    option.textContent = reason.display ?? reason.code;
    select.append(option);
  }
  $('keep').addEventListener('submit', (e) => {
    e.preventDefault();
    const reason = ctx.reasons.find((r) => r.code === select.value);
    if (!reason) return status('Choose a reason to keep the order.', true);
    const url = `${session.iss}/StructureDefinition/override-reason`;
    const { meta: _meta, ...current } = draft;
    const body = { ...current, status: 'active', extension: [...(current.extension ?? []).filter((x) => x.url !== url), { url, valueCoding: reason }] };
    return act(session, { method: 'PUT', path: `MedicationRequest/${encodeURIComponent(draft.id)}`, body, done: `Kept: ${medName(draft)}, reason “${reason.display ?? reason.code}”.` });
  });
}

/** The override-request tokens of a refused write (DESIGN.md "Refusal"), or [] for any other answer. */
function overrideTokens(session, outcome) {
  const url = `${session.iss}/StructureDefinition/override-request`;
  return (outcome?.issue ?? []).flatMap((issue) => {
    const ext = issue.extension?.find((e) => e.url === url)?.extension ?? [];
    const token = ext.find((e) => e.url === 'token')?.valueString;
    return token ? [{ token, level: ext.find((e) => e.url === 'level')?.valueCode, reason: issue.details?.text }] : [];
  });
}

/** Makes the write; a refusal for an override sends the user to authorize it, then the write is repeated. */
async function act(session, write, accessToken = session.token.access_token) {
  for (const b of document.querySelectorAll('#decide button')) b.disabled = true;
  status('Saving…');
  const res = await fhir(session, accessToken, write.method, write.path, write.body);
  const answer = await res.json().catch(() => undefined);
  if (res.ok) return showOutcome(session, write, answer);
  const requests = res.status === 403 ? overrideTokens(session, answer) : [];
  if (requests.length && accessToken === session.token.access_token) return authorizeOverride(session, write, requests);
  for (const b of document.querySelectorAll('#decide button')) b.disabled = false;
  const why = answer?.issue?.map((i) => i.details?.text ?? i.diagnostics).filter(Boolean).join(' ') ?? '';
  return status(`The order was not saved (HTTP ${res.status}). ${why}`, true);
}

/**
 * RFC 9396: the same client, redirect URI, PKCE and audience as the launch, a scope within its grant, and
 * authorization_details naming the refused call. Sent as a form POST (SMART authorize-post), so the
 * override request never sits in a URL.
 */
async function authorizeOverride(session, write, requests) {
  status(requests[0].level === 'reauthenticate' ? 'This order needs your password again: opening the authorization page…' : 'This order needs your confirmation: opening the authorization page…');
  const verifier = random(48);
  const state = random(32);
  sessionStorage.setItem(`smart:${state}`, JSON.stringify({ kind: 'override', iss: session.iss, issuer: session.issuer, tokenEndpoint: session.tokenEndpoint, redirectUri: session.redirectUri, verifier, session, write }));
  const form = document.createElement('form');
  form.method = 'post';
  form.action = session.authorizationEndpoint;
  const fields = {
    response_type: 'code',
    client_id: CLIENT_ID,
    redirect_uri: session.redirectUri,
    scope: session.token.scope.split(' ').filter((s) => s !== 'launch').join(' '),
    state,
    aud: session.iss,
    code_challenge: await challengeOf(verifier),
    code_challenge_method: 'S256',
    authorization_details: JSON.stringify(requests.map((r) => ({ type: 'hookwarden-override', override_request: r.token }))),
  };
  for (const [name, value] of Object.entries(fields)) {
    const input = document.createElement('input');
    input.type = 'hidden';
    input.name = name;
    input.value = value;
    form.append(input);
  }
  document.body.append(form);
  form.submit();
}

/** What was written, and for an overridden write the Provenance /fhir recorded with it. */
async function showOutcome(session, write, written) {
  // The lists again, as they are now that the order is saved.
  await render(session);
  $('decide').hidden = true;
  $('outcome').hidden = false;
  $('outcome-text').textContent = write.done;
  status('');
  const res = await fhir(session, session.token.access_token, 'GET', `Provenance?target=MedicationRequest/${encodeURIComponent(written.id)}`);
  const [provenance] = res.ok ? resources(await res.json()) : [];
  if (!provenance) return;
  const level = provenance.extension?.find((e) => e.url.endsWith('/override-level'))?.valueCode;
  const rows = [
    ['Override', level === 'reauthenticate' ? 'Authorized with your password' : 'Confirmed by you'],
    ['By', provenance.agent?.[0]?.who?.reference ?? ''],
    ['When', new Date(provenance.recorded).toLocaleString()],
    ...(provenance.reason ?? []).map((r) => ['Reason', r.text ?? r.coding?.[0]?.display ?? r.coding?.[0]?.code ?? '']),
  ];
  $('provenance').replaceChildren(
    ...rows.flatMap(([term, value]) => {
      const dt = document.createElement('dt');
      dt.textContent = term;
      const dd = document.createElement('dd');
      dd.textContent = value;
      return [dt, dd];
    }),
  );
}

async function main() {
  const params = new URLSearchParams(location.search);
  const state = params.get('state');
  const saved = state && JSON.parse(sessionStorage.getItem(`smart:${state}`) ?? 'null');
  if (state) sessionStorage.removeItem(`smart:${state}`);
  history.replaceState(null, '', location.pathname);
  if (params.get('error')) {
    // A cancelled override comes back here: the review stays, the order is not saved.
    if (saved?.kind === 'override') {
      await render(saved.session);
      return status(`The order was not saved: the override was not authorized (${params.get('error')}).`, true);
    }
    throw new Error(`Authorization failed: ${params.get('error')} ${params.get('error_description') ?? ''}`);
  }
  if (!saved) throw new Error('Unknown or reused authorization response (state).');
  // RFC 9207: the response must come from the server we started with.
  if (params.get('iss') !== saved.issuer) throw new Error('Authorization response from an unexpected issuer.');
  const token = await exchangeCode(saved, params.get('code'));
  if (saved.kind === 'override') {
    await render(saved.session);
    // The override token authorizes this one call, exactly as refused: repeat it with it as the bearer token.
    return act(saved.session, saved.write, token.access_token);
  }
  await render({ iss: saved.iss, issuer: saved.issuer, tokenEndpoint: saved.tokenEndpoint, authorizationEndpoint: saved.authorizationEndpoint, redirectUri: saved.redirectUri, token });
}

main().catch((e) => status(e.message, true));
