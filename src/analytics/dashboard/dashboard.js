// The analytics dashboard: a public SMART client of this server's authorization server (PKCE S256,
// RFC 7636), reading /analytics/v1 with the bearer token it gets. No token leaves this tab's
// sessionStorage; the page never sends it anywhere but this origin.

const CLIENT_ID = 'analytics-dashboard';
const SCOPE = 'openid fhirUser analytics.read';
const REDIRECT_URI = `${location.origin}/analytics/`;
const TOKEN_KEY = 'hookwarden.analytics.token';
const PKCE_KEY = 'hookwarden.analytics.pkce';
const DAY_MS = 86_400_000;

const $ = (id) => document.getElementById(id);
const show = (id, on) => {
  $(id).hidden = !on;
};

function status(text, isError = false) {
  const el = $('status');
  el.textContent = text;
  el.classList.toggle('error', isError);
}

const b64url = (bytes) => btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
const randomString = () => b64url(crypto.getRandomValues(new Uint8Array(32)));

async function signIn() {
  const verifier = randomString();
  const state = randomString();
  const challenge = b64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state }));
  const url = new URL('/auth/authorize', location.origin);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    scope: SCOPE,
    state,
    aud: `${location.origin}/fhir`,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
}

function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  location.assign(REDIRECT_URI);
}

/** RFC 6749 §4.1.2: back from /authorize with a code (or an error) for the state we sent. */
async function redeemCode(params) {
  const saved = JSON.parse(sessionStorage.getItem(PKCE_KEY) ?? 'null');
  sessionStorage.removeItem(PKCE_KEY);
  history.replaceState(null, '', REDIRECT_URI);
  if (!saved || params.get('state') !== saved.state) throw new Error('The sign-in answer did not match this page’s request. Sign in again.');
  if (params.has('error')) throw new Error(`Sign-in was not completed (${params.get('error')}).`);
  const res = await fetch('/auth/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: params.get('code') ?? '', code_verifier: saved.verifier, redirect_uri: REDIRECT_URI, client_id: CLIENT_ID }),
  });
  if (!res.ok) throw new Error('The sign-in code could not be redeemed. Sign in again.');
  const token = await res.json();
  sessionStorage.setItem(TOKEN_KEY, token.access_token);
  return token.access_token;
}

class Refused extends Error {}
class SignedOut extends Error {}

async function api(token, path, params, accept = 'application/json') {
  const res = await fetch(`/analytics/v1/${path}?${params}`, { headers: { Authorization: `Bearer ${token}`, Accept: accept } });
  if (res.status === 401) throw new SignedOut();
  if (res.status === 403) throw new Refused((await res.json()).error_description ?? 'forbidden');
  if (!res.ok) throw new Error(`The analytics API answered ${res.status}.`);
  return accept === 'text/csv' ? res.blob() : res.json();
}

// ---------- filters ----------

const isoDay = (d) => d.toISOString().slice(0, 10);

function defaultRange() {
  const today = new Date();
  return { from: isoDay(new Date(today.getTime() - 29 * DAY_MS)), to: isoDay(today) };
}

/** The API query of the filters: whole UTC days, `to` inclusive. */
function queryOf(filters, withRule) {
  const p = new URLSearchParams({ from: `${filters.from}T00:00:00Z`, to: new Date(Date.parse(`${filters.to}T00:00:00Z`) + DAY_MS).toISOString() });
  if (filters.service) p.set('service', filters.service);
  if (withRule && filters.rule) p.set('rule', filters.rule);
  return p;
}

function readFilters() {
  return { service: $('f-service').value, rule: $('f-rule').value, from: $('f-from').value, to: $('f-to').value, bucket: $('f-bucket').value };
}

function fillSelect(select, values, current, allLabel) {
  select.replaceChildren(new Option(allLabel, ''), ...values.map((v) => new Option(v, v)));
  select.value = values.includes(current) ? current : '';
}

// ---------- rendering ----------

const num = (n) => (n === null || n === undefined ? '–' : Number(n).toLocaleString('en'));
const pct = (r) => (r === null || r === undefined ? '–' : `${(r * 100).toFixed(1)} %`);
const ms = (v) => (v === null ? '–' : `${v} ms`);

function cell(text, cls) {
  const td = document.createElement('td');
  td.textContent = text;
  if (cls) td.className = cls;
  return td;
}

function renderOverview(services) {
  $('overview').replaceChildren(
    ...services.map((s) => {
      const box = document.createElement('article');
      box.className = 'service';
      const h = document.createElement('h3');
      h.textContent = s.service;
      const dl = document.createElement('dl');
      const cards = s.rules.reduce((n, r) => n + r.cards, 0);
      const overridden = s.rules.reduce((n, r) => n + r.overridden, 0);
      const items = [
        ['Invocations', num(s.invocations)],
        ['Errors', num(s.errors)],
        ['Prefetch dropped', num(s.prefetchDropped)],
        ['Cards', num(cards)],
        ['Override rate', pct(cards === 0 ? null : overridden / cards)],
        ['Latency p50', ms(s.latencyMs.p50)],
        ['p95', ms(s.latencyMs.p95)],
        ['p99', ms(s.latencyMs.p99)],
      ];
      for (const [k, v] of items) {
        const pair = document.createElement('div');
        const dt = document.createElement('dt');
        dt.textContent = k;
        const dd = document.createElement('dd');
        dd.textContent = v;
        pair.append(dt, dd);
        dl.append(pair);
      }
      box.append(h, dl);
      return box;
    }),
  );
}

const RULE_COLUMNS = [
  { key: 'service', label: 'Service', value: (r) => r.service },
  { key: 'rule', label: 'Rule', value: (r) => r.rule || '(none)' },
  { key: 'cards', label: 'Cards', value: (r) => r.cards, num: true },
  { key: 'accepted', label: 'Accepted', value: (r) => r.accepted, num: true },
  { key: 'overridden', label: 'Overridden', value: (r) => r.overridden, num: true },
  { key: 'ignored', label: 'Ignored', value: (r) => r.ignored, num: true },
  { key: 'acceptanceRate', label: 'Acceptance rate', value: (r) => r.acceptanceRate, num: true, format: pct },
  { key: 'overrideRate', label: 'Override rate', value: (r) => r.overrideRate, num: true, format: pct },
  { key: 'linkClicks', label: 'Link clicks', value: (r) => r.linkClicks, num: true },
  { key: 'launches', label: 'Launches (tokens)', value: (r) => r.launches.tokenIssued, num: true, format: (_, r) => `${num(r.launches.minted)} (${num(r.launches.tokenIssued)})` },
  { key: 'overrides', label: 'Step-up overrides', value: (r) => r.overrides.used, num: true, format: (_, r) => `${num(r.overrides.requested)} req · ${num(r.overrides.used)} used` },
];

const sort = { key: 'overrideRate', dir: 'descending' };

function compare(a, b) {
  const col = RULE_COLUMNS.find((c) => c.key === sort.key);
  const [x, y] = [col.value(a), col.value(b)];
  // No rate sorts last whichever the direction: a rule without cards has nothing to compare.
  if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
  const order = typeof x === 'number' ? x - y : String(x).localeCompare(String(y));
  return sort.dir === 'ascending' ? order : -order;
}

function renderRules(rows) {
  const head = $('rules').tHead.rows[0];
  head.replaceChildren(
    ...RULE_COLUMNS.map((c) => {
      const th = document.createElement('th');
      th.scope = 'col';
      if (c.num) th.className = 'num';
      th.setAttribute('aria-sort', sort.key === c.key ? sort.dir : 'none');
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = c.label;
      button.addEventListener('click', () => {
        sort.dir = sort.key === c.key && sort.dir === 'descending' ? 'ascending' : 'descending';
        sort.key = c.key;
        renderRules(rows);
        head.querySelector(`[data-key="${c.key}"] button`)?.focus();
      });
      th.dataset.key = c.key;
      th.append(button);
      return th;
    }),
  );
  $('rules').tBodies[0].replaceChildren(
    ...[...rows].sort(compare).map((r) => {
      const tr = document.createElement('tr');
      for (const c of RULE_COLUMNS) {
        const v = c.value(r);
        const text = c.format ? c.format(v, r) : c.num ? num(v) : v;
        const td = c.key === 'rule' ? document.createElement('th') : cell(text, c.num ? 'num' : '');
        if (c.key === 'rule') {
          td.scope = 'row';
          td.textContent = text;
        }
        if (c.key === 'overrideRate' && v !== null && v >= 0.5) td.classList.add('high');
        tr.append(td);
      }
      return tr;
    }),
  );
}

let chart;

function renderSeries(buckets) {
  $('series').tBodies[0].replaceChildren(
    ...buckets.map((b) => {
      const tr = document.createElement('tr');
      tr.append(cell(b.start.replace('T', ' ').replace(':00.000Z', '')), ...['invocations', 'cards', 'accepted', 'overridden', 'linkClicks'].map((k) => cell(num(b[k]), 'num')));
      return tr;
    }),
  );
  const data = [
    buckets.map((b) => Date.parse(b.start) / 1000),
    buckets.map((b) => b.invocations),
    buckets.map((b) => b.cards),
    buckets.map((b) => b.accepted),
    buckets.map((b) => b.overridden),
    buckets.map((b) => b.linkClicks),
  ];
  const width = Math.max(320, $('chart').clientWidth || 900);
  const opts = {
    width,
    height: 260,
    tzDate: (ts) => globalThis.uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    series: [
      {},
      { label: 'Invocations', stroke: '#57606a', width: 2 },
      { label: 'Cards', stroke: '#0b5394', width: 2 },
      { label: 'Accepted', stroke: '#1a7f37', width: 2 },
      { label: 'Overridden', stroke: '#b3261e', width: 2 },
      { label: 'Link clicks', stroke: '#8250df', width: 2, dash: [6, 4] },
    ],
    axes: [{}, { label: 'count' }],
  };
  chart?.destroy();
  chart = new globalThis.uPlot(opts, data, $('chart'));
}

function renderReasons(rows) {
  const byCode = new Map();
  for (const r of rows) {
    for (const x of r.overrideReasons) {
      const seen = byCode.get(x.code) ?? { code: x.code, display: x.display, count: 0 };
      seen.count += x.count;
      byCode.set(x.code, seen);
    }
  }
  const reasons = [...byCode.values()].sort((a, b) => b.count - a.count);
  const total = reasons.reduce((n, r) => n + r.count, 0);
  show('reasons-empty', reasons.length === 0);
  show('reasons', reasons.length > 0);
  $('reasons').tBodies[0].replaceChildren(
    ...reasons.map((r) => {
      const tr = document.createElement('tr');
      const share = document.createElement('td');
      const bar = document.createElement('span');
      bar.className = 'bar';
      bar.style.width = `${Math.round((r.count / total) * 120)}px`;
      bar.setAttribute('aria-hidden', 'true');
      share.append(bar, `${((r.count / total) * 100).toFixed(0)} %`);
      tr.append(cell(r.display ?? r.code), cell(r.code), cell(num(r.count), 'num'), share);
      return tr;
    }),
  );
}

function renderFunnel(rows) {
  const sum = (k) => rows.reduce((n, r) => n + r.launches[k], 0);
  const minted = sum('minted');
  const steps = [
    ['Minted by a card link click', minted],
    ['Authorized by the app', sum('authorized')],
    ['Token issued', sum('tokenIssued')],
  ];
  $('funnel').tBodies[0].replaceChildren(
    ...steps.map(([label, n]) => {
      const tr = document.createElement('tr');
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = label;
      tr.append(th, cell(num(n), 'num'), cell(minted === 0 ? '–' : `${((n / minted) * 100).toFixed(0)} %`));
      return tr;
    }),
  );
}

// ---------- flow ----------

let token;
let knownServices = [];
let knownRules = [];

async function download(path, params, name) {
  params.set('format', 'csv');
  const blob = await api(token, path, params, 'text/csv');
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  URL.revokeObjectURL(a.href);
}

async function load() {
  const filters = readFilters();
  status('Loading…');
  const [summary, series] = await Promise.all([
    api(token, 'summary', queryOf(filters, true)),
    api(token, 'timeseries', new URLSearchParams([...queryOf(filters, true), ['bucket', filters.bucket]])),
  ]);
  // The filter lists: every service and rule seen in the range, whatever is selected now.
  const everything = filters.service || filters.rule ? await api(token, 'summary', queryOf({ ...filters, service: '', rule: '' }, false)) : summary;
  knownServices = everything.services.map((s) => s.service);
  knownRules = [...new Set(everything.services.flatMap((s) => (filters.service && s.service !== filters.service ? [] : s.rules.map((r) => r.rule))))].sort();
  fillSelect($('f-service'), knownServices, filters.service, 'All services');
  fillSelect($('f-rule'), knownRules, filters.rule, 'All rules');

  const rows = summary.services.flatMap((s) => s.rules.map((r) => ({ ...r, service: s.service })));
  const empty = summary.services.length === 0;
  show('empty', empty);
  show('content', !empty);
  status(empty ? '' : `Showing ${filters.from} to ${filters.to} (UTC).`);
  if (empty) return;
  renderOverview(summary.services);
  renderRules(rows);
  renderSeries(series.buckets);
  renderReasons(rows);
  renderFunnel(rows);
}

function handle(e) {
  if (e instanceof SignedOut) {
    sessionStorage.removeItem(TOKEN_KEY);
    show('dashboard', false);
    show('signed-out', true);
    status('Your session ended. Sign in again.');
    return;
  }
  if (e instanceof Refused) {
    show('dashboard', false);
    show('refused', true);
    show('sign-out', true);
    status('');
    return;
  }
  status(e instanceof Error ? e.message : 'Something went wrong.', true);
}

async function main() {
  $('sign-in').addEventListener('click', () => signIn().catch(handle));
  $('sign-out').addEventListener('click', signOut);
  const params = new URLSearchParams(location.search);
  try {
    token = params.has('code') || params.has('error') ? await redeemCode(params) : sessionStorage.getItem(TOKEN_KEY);
  } catch (e) {
    show('signed-out', true);
    handle(e);
    return;
  }
  if (!token) {
    show('signed-out', true);
    return;
  }
  const range = defaultRange();
  $('f-from').value = range.from;
  $('f-to').value = range.to;
  show('dashboard', true);
  show('sign-out', true);
  $('who').textContent = 'Signed in';
  $('filters').addEventListener('submit', (e) => {
    e.preventDefault();
    load().catch(handle);
  });
  for (const id of ['f-service', 'f-rule', 'f-bucket']) $(id).addEventListener('change', () => load().catch(handle));
  $('csv-summary').addEventListener('click', () => download('summary', queryOf(readFilters(), true), 'summary.csv').catch(handle));
  $('csv-series').addEventListener('click', () =>
    download('timeseries', new URLSearchParams([...queryOf(readFilters(), true), ['bucket', readFilters().bucket]]), 'timeseries.csv').catch(handle),
  );
  await load().catch(handle);
}

main();
