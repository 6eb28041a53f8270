// The redirect target: exchange the code (PKCE), then read what the granted scopes allow.
const CLIENT_ID = 'medication-review';
const $ = (id) => document.getElementById(id);
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';

function show(id, items, render) {
  if (!items.length) return;
  $(id).hidden = false;
  const list = $(id).querySelector('ul');
  for (const item of items) {
    const li = document.createElement('li');
    li.textContent = render(item);
    list.append(li);
  }
}

const resources = (bundle) => (bundle?.entry ?? []).map((e) => e.resource).filter(Boolean);

const medName = (r) => {
  const cc = r.medicationCodeableConcept ?? r.code;
  const rx = cc?.coding?.find((c) => c.system === RXNORM);
  return `${cc?.text ?? rx?.display ?? 'Unnamed medication'}${rx ? ` (RxNorm ${rx.code})` : ' (no RxNorm code)'}`;
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
  const get = async (path) => {
    const r = await fetch(`${iss}/${path}`, { headers: { authorization: `Bearer ${token.access_token}`, accept: 'application/fhir+json' } });
    return r.ok ? r.json() : undefined;
  };
  const [patient, meds, allergies] = await Promise.all([
    get(`Patient/${encodeURIComponent(token.patient)}`),
    get(`MedicationRequest?patient=${encodeURIComponent(token.patient)}`),
    get(`AllergyIntolerance?patient=${encodeURIComponent(token.patient)}`),
  ]);
  const name = patient?.name?.[0];
  $('patient').textContent = name ? `${(name.given ?? []).join(' ')} ${name.family ?? ''}`.trim() : `Patient ${token.patient}`;
  if (token.appContext) {
    $('context').hidden = false;
    $('app-context').textContent = token.appContext;
  }
  const requests = resources(meds);
  show('meds', requests.filter((r) => r.status === 'active'), medName);
  show('drafts', requests.filter((r) => r.status === 'draft'), medName);
  show('allergies', resources(allergies), (a) => a.code?.text ?? a.code?.coding?.[0]?.display ?? 'Allergy');
  $('status').textContent = requests.length ? '' : 'No medication data was shared with this app.';
  $('scope').textContent = `Granted: ${token.scope}`;
}

main().catch((e) => {
  $('status').textContent = e.message;
  $('status').className = 'error';
});
