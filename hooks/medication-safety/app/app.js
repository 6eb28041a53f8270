// The redirect target: exchange the code (PKCE), then read what the granted scopes allow.
const CLIENT_ID = 'medication-review';
const $ = (id) => document.getElementById(id);
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';

// Each item renders to [text, tag?]; a list whose read succeeded is shown even when empty, with
// `empty`, so "none recorded" never looks like "not loaded".
function show(id, items, render, empty) {
  if (!items.length && !empty) return;
  $(id).hidden = false;
  const list = $(id).querySelector('ul');
  for (const [text, tag] of items.length ? items.map(render) : [[empty]]) {
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

async function main() {
  const params = new URLSearchParams(location.search);
  if (params.get('error')) throw new Error(`Authorization failed: ${params.get('error')} ${params.get('error_description') ?? ''}`);
  const state = params.get('state');
  const saved = state && sessionStorage.getItem(`smart:${state}`);
  if (!saved) throw new Error('Unknown or reused authorization response (state).');
  sessionStorage.removeItem(`smart:${state}`);
  const { iss, verifier, redirectUri, tokenEndpoint, issuer } = JSON.parse(saved);
  // RFC 9207: the response must come from the server we started with.
  if (params.get('iss') !== issuer) throw new Error('Authorization response from an unexpected issuer.');
  const res = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: params.get('code'), redirect_uri: redirectUri, code_verifier: verifier, client_id: CLIENT_ID }),
  });
  const token = await res.json();
  if (!res.ok) throw new Error(`Token request failed: ${token.error} ${token.error_description ?? ''}`);
  history.replaceState(null, '', location.pathname);
  // A failed read is reported, never shown as an empty list: a missing medication is a clinical risk.
  const failed = [];
  const get = async (path, type) => {
    const r = await fetch(`${iss}/${path}`, { headers: { authorization: `Bearer ${token.access_token}`, accept: 'application/fhir+json' } });
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
  const name = patient?.name?.[0];
  $('patient').textContent = name ? `${(name.given ?? []).join(' ')} ${name.family ?? ''}`.trim() : `Patient ${token.patient}`;
  if (token.appContext) {
    $('context').hidden = false;
    $('app-context').textContent = token.appContext;
  }
  const requests = resources(meds);
  const active = [...requests.filter((r) => r.status === 'active').map(orderLine), ...resources(statements).filter((s) => s.status === 'active').map(statementLine)];
  show('meds', active, (line) => line, meds && statements ? 'No active medications recorded' : undefined);
  show('drafts', requests.filter((r) => r.status === 'draft'), orderLine);
  show('allergies', resources(allergies), allergyLine, allergies ? 'No allergies recorded' : undefined);
  if (failed.length) {
    $('status').textContent = `Could not read ${failed.join(', ')}: the lists below may be incomplete.`;
    $('status').className = 'error';
  } else {
    $('status').textContent = '';
  }
  $('scope').textContent = `Granted: ${token.scope}`;
}

main().catch((e) => {
  $('status').textContent = e.message;
  $('status').className = 'error';
});
