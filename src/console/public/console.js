// The demo EHR console: renders a scenario chart, builds CDS Hooks requests as an EHR would, asks the
// server to sign and send them with the demo EHR key, and renders the cards (CDS Hooks §Card).
// Everything from the server is put into the page as text nodes, never as HTML.

const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const $ = (id) => document.getElementById(id);

const state = { scenarios: [], drugs: [], services: [], lastCall: undefined };

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) if (child !== undefined && child !== null) node.append(child);
  return node;
}

function setStatus(text, error = false) {
  $('status').textContent = text;
  $('status').classList.toggle('error', error);
}

/** Inline GFM the cards use: `**bold**`, `` `code` ``, `[text](https://…)` and backslash escapes. */
function inline(text) {
  const out = [];
  const pattern = /\\([\\`*_{}[\]()<>#+\-.!|~])|\*\*(.+?)\*\*|`([^`]+)`|\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)|(https?:\/\/[^\s)]+)/g;
  let last = 0;
  for (const m of text.matchAll(pattern)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(el('strong', {}, ...inline(m[2])));
    else if (m[3] !== undefined) out.push(el('code', { text: m[3] }));
    else if (m[4] !== undefined) out.push(el('a', { href: m[5], target: '_blank', rel: 'noopener noreferrer' }, ...inline(m[4])));
    else out.push(el('a', { href: m[6], target: '_blank', rel: 'noopener noreferrer', text: m[6] }));
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/** Block GFM the cards use: paragraphs (a single newline is a soft break) and bullet lists. */
function markdown(text) {
  return text.split(/\n\s*\n/).map((block) => {
    const lines = block.split('\n');
    if (lines.every((l) => /^\s*[-*] /.test(l))) return el('ul', {}, lines.map((l) => el('li', {}, ...inline(l.replace(/^\s*[-*] /, '')))));
    return el('p', {}, ...inline(lines.join(' ')));
  });
}

function pretty(value) {
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

function showExchange(title, exchange) {
  $('exchange-title').textContent = title;
  const { request, response } = exchange;
  $('raw-request').textContent =
    `${request.method} ${request.url}\nAuthorization: Bearer <JWT signed with the demo EHR key>\n\nJWT header: ${pretty(request.jwt.header)}\nJWT claims: ${pretty(request.jwt.claims)}` +
    (request.body === undefined ? '' : `\n\n${pretty(request.body)}`);
  $('raw-response').textContent = `HTTP ${response.status}\n\n${pretty(response.body)}`;
}

/** Asks the server to make this CDS call as the demo EHR; shows and returns the exchange. */
async function asEhr(title, path, body) {
  const res = await fetch('/console/api/ehr', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body === undefined ? { path } : { path, body }),
  });
  const answer = await res.json();
  if (!res.ok) throw new Error(answer.issue?.[0]?.diagnostics ?? `console call failed: HTTP ${res.status}`);
  showExchange(title, answer);
  return answer.response;
}

const scenario = () => state.scenarios.find((s) => s.name === $('scenario').value);

function renderChart() {
  const s = scenario();
  if (!s) return;
  $('patient-name').textContent = s.patient.name;
  $('patient-details').textContent = [s.patient.gender, s.patient.birthDate && `born ${s.patient.birthDate}`, `id ${s.patient.id}`].filter(Boolean).join(' · ');
  const item = (m) => el('li', { text: `${m.display}${m.code ? ` (RxNorm ${m.code})` : ''}${m.kind === 'reported' ? ' (patient-reported)' : ''}${m.kind !== 'order' && m.kind !== 'reported' ? ` (${m.kind})` : ''}` });
  $('med-list').replaceChildren(...(s.medications.length ? s.medications.map(item) : [el('li', { class: 'muted', text: 'None recorded' })]));
  $('allergy-list').replaceChildren(...(s.allergies.length ? s.allergies.map(item) : [el('li', { class: 'muted', text: 'None recorded' })]));
  const drafts = s.drafts.map((d) => d.display).join(', ') || 'none';
  $('drug').replaceChildren(
    el('option', { value: 'scenario', text: `The scenario's draft order: ${drafts}` }),
    el('optgroup', { label: 'Coded (RxNorm)' }, state.drugs.map((d) => el('option', { value: `code:${d.code}`, text: `${d.display} (RxNorm ${d.code})` }))),
    el('option', { value: 'text', text: 'Free text (uncoded)…' }),
  );
  syncDrugText();
}

function syncDrugText() {
  $('drug-text-field').hidden = $('drug').value !== 'text';
}

/** The draft orders to send: the scenario's own, or one new MedicationRequest for the chosen drug. */
function draftOrders(s) {
  const choice = $('drug').value;
  if (choice === 'scenario') return s.request.context.draftOrders;
  let concept;
  if (choice === 'text') {
    const text = $('drug-text').value.trim();
    if (!text) throw new Error('Type the drug name, or choose a coded drug.');
    concept = { text };
  } else {
    const drug = state.drugs.find((d) => `code:${d.code}` === choice);
    concept = { coding: [{ system: RXNORM, code: drug.code, display: drug.display }], text: drug.display };
  }
  const resource = {
    resourceType: 'MedicationRequest',
    id: `console-draft-${Date.now()}`,
    status: 'draft',
    intent: 'order',
    medicationCodeableConcept: concept,
    subject: { reference: `Patient/${s.patient.id}` },
    requester: { reference: s.request.context.userId },
  };
  return { resourceType: 'Bundle', type: 'collection', entry: [{ resource }] };
}

/** §HTTP Request: the scenario's body with a fresh hookInstance, the hook asked for and the chosen drafts. */
function hookRequest(s, hook) {
  const drafts = draftOrders(s);
  const { selections: _selections, ...context } = s.request.context;
  const ids = (drafts.entry ?? []).map((e) => `${e.resource.resourceType}/${e.resource.id}`);
  return {
    ...s.request,
    hook,
    hookInstance: crypto.randomUUID(),
    context: { ...context, draftOrders: drafts, ...(hook === 'order-select' ? { selections: ids } : {}) },
  };
}

async function callHook(hook) {
  const s = scenario();
  const service = state.services.find((x) => x.hook === hook);
  if (!s || !service) return setStatus(`No service for ${hook} in discovery.`, true);
  let body;
  try {
    body = hookRequest(s, hook);
  } catch (e) {
    $('drug-text').focus();
    return setStatus(e.message, true);
  }
  setStatus(`Calling ${service.id}…`);
  try {
    const response = await asEhr(`${hook} → ${service.id}`, `/cds-services/${encodeURIComponent(service.id)}`, body);
    if (response.status !== 200) return setStatus(`${service.id} answered HTTP ${response.status}; see the raw response.`, true);
    state.lastCall = { service: service.id, hookInstance: body.hookInstance };
    renderCards(response.body.cards ?? []);
    setStatus(`${(response.body.cards ?? []).length} card(s) from ${service.id}.`);
  } catch (e) {
    setStatus(e.message, true);
  }
}

async function sendFeedback(card, item, article, done) {
  const status = article.querySelector('.feedback-status');
  status.textContent = 'Sending feedback…';
  try {
    const feedback = { card: card.uuid, ...item, outcomeTimestamp: new Date().toISOString() };
    const response = await asEhr(`feedback → ${state.lastCall.service}`, `/cds-services/${encodeURIComponent(state.lastCall.service)}/feedback`, { feedback: [feedback] });
    if (response.status !== 200) throw new Error(`feedback answered HTTP ${response.status}`);
    status.textContent = done;
    for (const control of article.querySelectorAll('.suggestions button, .override select, .override input, .override button')) control.disabled = true;
  } catch (e) {
    status.textContent = `Feedback failed: ${e.message}`;
  }
}

function renderCard(card) {
  const article = el('article', { class: `card indicator-${card.indicator}`, 'data-uuid': card.uuid });
  const source = card.source?.url ? el('a', { href: card.source.url, target: '_blank', rel: 'noopener noreferrer', text: card.source.label }) : card.source?.label;
  article.append(
    el('h3', {}, el('span', { class: 'badge', text: card.indicator }), card.summary),
    el('p', { class: 'source' }, 'Source: ', source),
  );
  if (card.detail) article.append(el('div', { class: 'detail' }, markdown(card.detail)));
  if (card.suggestions?.length) {
    article.append(
      el('div', { class: 'suggestions' }, el('h4', { text: 'Suggestions' }),
        card.suggestions.map((s) =>
          el('div', { class: 'suggestion' },
            el('div', {}, el('span', { text: `${s.label}${s.isRecommended ? ' (recommended)' : ''}` }),
              (s.actions ?? []).length ? el('ul', { class: 'actions-list' }, s.actions.map((a) => el('li', { text: `${a.type}: ${a.description}` }))) : undefined),
            el('button', { type: 'button', class: 'accept', onclick: () => sendFeedback(card, { outcome: 'accepted', acceptedSuggestions: [{ id: s.uuid }] }, article, `Accepted: ${s.label}`) }, 'Accept'),
          ),
        ),
      ),
    );
  }
  if (card.links?.length) {
    article.append(
      el('div', { class: 'links' }, el('h4', { text: 'Links' }),
        el('ul', {}, card.links.map((l) => el('li', {}, el('a', { href: l.url, target: '_blank', rel: 'noopener', 'data-type': l.type, text: l.label }), l.type === 'smart' ? ' (SMART app: the EHR launches it)' : ''))),
      ),
    );
  }
  if (card.overrideReasons?.length) {
    const id = `override-${card.uuid}`;
    const select = el('select', { id, 'aria-label': 'Override reason' }, card.overrideReasons.map((r, i) => el('option', { value: String(i), text: r.display ?? r.code })));
    const comment = el('input', { type: 'text', 'aria-label': 'Override comment', placeholder: 'Comment (optional)' });
    article.append(
      el('div', { class: 'override' },
        el('label', { for: id }, 'Override reason', select),
        el('label', {}, 'Comment', comment),
        el('button', {
          type: 'button',
          class: 'override-button',
          onclick: () => {
            const reason = card.overrideReasons[Number(select.value)];
            const text = comment.value.trim();
            sendFeedback(card, { outcome: 'overridden', overrideReason: { reason, ...(text ? { userComment: text } : {}) } }, article, `Overridden: ${reason.display ?? reason.code}`);
          },
        }, 'Override'),
      ),
    );
  }
  article.append(el('p', { class: 'feedback-status', role: 'status' }));
  return article;
}

function renderCards(cards) {
  $('cards').replaceChildren(...(cards.length ? cards.map(renderCard) : [el('p', { class: 'muted', text: 'No cards: nothing to flag.' })]));
}

async function start() {
  try {
    const res = await fetch('/console/api/scenarios');
    Object.assign(state, await res.json());
    $('scenario').replaceChildren(...state.scenarios.map((s) => el('option', { value: s.name, text: `${s.patient.name} — ${s.name}` })));
    renderChart();
    const discovery = await asEhr('discovery', '/cds-services');
    state.services = discovery.body.services ?? [];
    setStatus(`Discovered ${state.services.length} services.`);
  } catch (e) {
    setStatus(e.message, true);
  }
}

$('scenario').addEventListener('change', renderChart);
$('drug').addEventListener('change', syncDrugText);
$('order-select').addEventListener('click', () => callHook('order-select'));
$('order-sign').addEventListener('click', () => callHook('order-sign'));
start();
