import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CdsResponse, CdsRequest } from '../../src/cds/cds-types.js';
import { DEMO_EHR_KEY_FILE, type DemoEhrKey } from '../../src/config/demo.js';
import { callAsEhr as exchangeAsEhr } from '../../src/console/demo-ehr.js';

export { listScenarios, SCENARIO_DIR, signClientJwt } from '../../src/console/demo-ehr.js';

/** Who is signed in at the simulated EHR: the demo configuration's clinician (password `demo`). */
export const DEMO_CLINICIAN = { username: 'dr.demo', password: 'demo', fhirUser: 'Practitioner/demo-practitioner' } as const;

/** A scenario as the simulated EHR sends it: the hook's `userId` is its signed-in clinician, whom card links are bound to. */
export function asClinician(body: CdsRequest, fhirUser: string): CdsRequest {
  return { ...body, context: { ...body.context, userId: fhirUser } };
}

/** Reads the demo EHR key that demo mode generated in DATA_DIR. */
export function readDemoEhrKey(dataDir: string): DemoEhrKey {
  const file = join(dataDir, DEMO_EHR_KEY_FILE);
  if (!existsSync(file)) {
    throw new Error(`${file} not found: start Hookwarden once in demo mode (no config file) with the same DATA_DIR`);
  }
  return JSON.parse(readFileSync(file, 'utf8')) as DemoEhrKey;
}

export interface HttpResult {
  status: number;
  body: unknown;
}

/** Calls `base + path` as the demo EHR would (src/console/demo-ehr.ts); the response only. */
export async function callAsEhr(key: DemoEhrKey, base: string, path: string, body?: unknown): Promise<HttpResult> {
  return (await exchangeAsEhr(key, base, path, body)).response;
}

interface DiscoveredService {
  id: string;
  hook: string;
  title?: string;
}

/** The service for a request body: `serviceId` if given, else the first discovered service on its hook. */
export function pickService(services: DiscoveredService[], request: Pick<CdsRequest, 'hook'>, serviceId?: string): DiscoveredService | undefined {
  return serviceId ? services.find((s) => s.id === serviceId) : services.find((s) => s.hook === request.hook);
}

/** Discovery as readable lines. */
export function renderDiscovery(body: { services?: DiscoveredService[] }): string {
  const services = body.services ?? [];
  return services.length ? services.map((s) => `${s.id}  (hook ${s.hook})${s.title ? `  ${s.title}` : ''}`).join('\n') : '(no services)';
}

const MARK: Record<string, string> = { critical: '!!', warning: '! ', info: 'i ' };

/** Cards as a clinician would skim them: indicator, summary, source, detail, suggestions, links. */
export function renderCards(response: Partial<CdsResponse>): string {
  const cards = response.cards ?? [];
  if (!cards.length) return '(no cards)';
  return cards
    .map((card, i) => {
      const lines = [`${MARK[card.indicator] ?? '  '} ${i + 1}. [${card.indicator.toUpperCase()}] ${card.summary}`, `      source: ${card.source?.label ?? '-'}`];
      if (card.detail) lines.push(...card.detail.split('\n').map((l) => `      ${l}`));
      for (const s of card.suggestions ?? []) lines.push(`      suggestion: ${s.label}`);
      for (const l of card.links ?? []) lines.push(`      link (${l.type}): ${l.label} -> ${l.url}`);
      for (const r of card.overrideReasons ?? []) lines.push(`      override reason: ${r.display ?? r.code}`);
      return lines.join('\n');
    })
    .join('\n\n');
}
