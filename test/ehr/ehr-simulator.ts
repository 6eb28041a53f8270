// `npm run ehr -- <scenario | list | discovery | activity> [--service <id>]`: a simulated EHR calling a running
// Hookwarden with the demo EHR key from DATA_DIR (demo mode). `activity [--days 7] [--calls 40] [--seed 1]`
// sends a clinic's week of hook calls, feedback, card clicks and app launches, for the analytics dashboard. Server: HOOKWARDEN_URL, else PUBLIC_URL,
// else http://localhost:3000; it must be the server's public URL, because the JWT `aud` is built from it.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CdsRequest } from '../../src/cds/cds-types.js';
import { generateActivity } from './activity.js';
import { asClinician, callAsEhr, DEMO_CLINICIAN, listScenarios, pickService, readDemoEhrKey, renderCards, renderDiscovery, signClientJwt } from './ehr-client.js';

const USAGE = 'usage: npm run ehr -- <scenario | list | discovery | activity [--days N] [--calls N] [--seed N]> [--service <id>]';

/** A positive integer flag, or its default. */
function intFlag(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  const value = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} needs a positive integer`);
  return value;
}

/** Runs one simulator command; returns the process exit code. `print` receives readable output. */
export async function runSimulator(args: string[], env: NodeJS.ProcessEnv, print: (line: string) => void): Promise<number> {
  const [command, ...rest] = args;
  const serviceFlag = rest.indexOf('--service');
  const serviceId = serviceFlag >= 0 ? rest[serviceFlag + 1] : undefined;
  const base = env.HOOKWARDEN_URL ?? env.PUBLIC_URL ?? 'http://localhost:3000';
  const scenarios = listScenarios(env.EHR_SCENARIO_DIR);

  if (!command) {
    print(USAGE);
    return 2;
  }
  if (command === 'list') {
    print(scenarios.size ? [...scenarios.keys()].join('\n') : '(no scenarios found)');
    return 0;
  }
  const key = readDemoEhrKey(resolve(env.DATA_DIR ?? './data'));
  const discovery = await callAsEhr(key, base, '/cds-services');
  if (discovery.status !== 200) {
    print(`discovery: HTTP ${discovery.status}\n${JSON.stringify(discovery.body, null, 2)}`);
    return 1;
  }
  const services = (discovery.body as { services?: { id: string; hook: string; title?: string }[] }).services ?? [];
  if (command === 'discovery') {
    print(renderDiscovery({ services }));
    return 0;
  }
  if (command === 'activity') {
    const tally = await generateActivity(base.replace(/\/+$/, ''), (aud) => signClientJwt(key, aud), {
      days: intFlag(rest, '--days', 7),
      callsPerDay: intFlag(rest, '--calls', 40),
      seed: intFlag(rest, '--seed', 1),
      scenarios: [...scenarios.values()],
      appClientId: 'medication-review',
      appRedirectUri: `${base.replace(/\/+$/, '')}/apps/medication-review/index.html`,
      clinician: DEMO_CLINICIAN,
    }, print);
    print(
      `sent ${tally.calls} hook calls (${tally.cards} cards), ${tally.accepted} accepted and ${tally.overridden} overridden ` +
        `(${tally.byJwt} by JWT, ${tally.bySignedUrl} by signed URL), ${tally.clicks} card-link clicks, ${tally.tokens} app launches; ` +
        `sign in at ${base.replace(/\/+$/, '')}/analytics/ as owner.demo / demo`,
    );
    return 0;
  }
  const file = scenarios.get(command);
  if (!file) {
    print(`unknown scenario "${command}"; \`npm run ehr -- list\` shows the scenarios`);
    return 2;
  }
  const body = asClinician(JSON.parse(readFileSync(file, 'utf8')) as CdsRequest, DEMO_CLINICIAN.fhirUser);
  const service = pickService(services, body, serviceId);
  if (!service) {
    print(`no service ${serviceId ? `with id ${serviceId}` : `for hook ${body.hook}`} in discovery`);
    return 1;
  }
  const result = await callAsEhr(key, base, `/cds-services/${encodeURIComponent(service.id)}`, body);
  print(`${command} -> ${service.id}: HTTP ${result.status}`);
  print(result.status === 200 ? renderCards(result.body as never) : JSON.stringify(result.body, null, 2));
  return result.status === 200 ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  runSimulator(process.argv.slice(2), process.env, (line) => console.log(line)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    },
  );
}
