import { readFileSync } from 'node:fs';
import { Inject, Injectable } from '@nestjs/common';
import { InvalidRequestError } from '../cds/cds-errors.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { DemoEhrKey } from '../config/demo.js';
import { ConsoleForbidden, DemoEhrUnreachable } from './console-errors.js';
import { callAsEhr, type EhrExchange } from './demo-ehr.js';
import { type DrugChoice, drugChoices, loadScenarios, type Scenario } from './scenarios.js';


/** The CDS endpoints the demo EHR calls for the page: discovery, a service, its feedback. Never any other URL. */
const CDS_PATH = /^\/cds-services(\/[A-Za-z0-9._-]{1,64}(\/feedback)?)?$/;

/**
 * Fetch metadata (Fetch standard §Sec-Fetch-Site) and Origin: only the console's own page may make
 * the demo EHR sign, so another site open in the same browser cannot call the hooks as the EHR.
 */
export function fromConsolePage(headers: { origin?: string; 'sec-fetch-site'?: string }, publicUrl: string): boolean {
  if (headers['sec-fetch-site'] !== undefined && headers['sec-fetch-site'] !== 'same-origin') return false;
  return headers.origin === undefined || headers.origin === new URL(publicUrl).origin;
}

/**
 * The demo EHR console (demo configuration only): scenario charts for the page, and the hook calls
 * it makes signed server-side with the demo EHR key, over HTTP to PUBLIC_URL, exactly as an EHR would.
 */
@Injectable()
export class ConsoleService {
  private readonly key: DemoEhrKey;
  private readonly scenarios: Scenario[] = loadScenarios();
  private readonly drugs: DrugChoice[] = drugChoices(this.scenarios);
  /** The page and its two files, read once; nothing else of the folder is served. */
  private readonly files = {
    page: readFileSync(new URL('./public/index.html', import.meta.url), 'utf8'),
    script: readFileSync(new URL('./public/console.js', import.meta.url), 'utf8'),
    style: readFileSync(new URL('./public/console.css', import.meta.url), 'utf8'),
  };

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    if (!config.demoEhrKey) throw new Error('the demo console needs the demo configuration');
    this.key = config.demoEhrKey;
  }

  file(name: keyof ConsoleService['files']): string {
    return this.files[name];
  }

  chart(): { scenarios: Scenario[]; drugs: DrugChoice[] } {
    return { scenarios: this.scenarios, drugs: this.drugs };
  }

  /** `{path, body?}`: the call the page wants made; answered with the request as signed and the raw response. */
  async call(input: unknown, headers: { origin?: string; 'sec-fetch-site'?: string }): Promise<EhrExchange> {
    if (!fromConsolePage(headers, this.config.publicUrl)) throw new ConsoleForbidden();
    const { path, body } = (input ?? {}) as { path?: unknown; body?: unknown };
    if (typeof path !== 'string' || !CDS_PATH.test(path)) throw new InvalidRequestError([{ path: 'path', message: 'must be /cds-services, /cds-services/{id} or /cds-services/{id}/feedback' }]);
    if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body))) throw new InvalidRequestError([{ path: 'body', message: 'must be a JSON object' }]);
    try {
      return await callAsEhr(this.key, this.config.publicUrl, path, body);
    } catch (e) {
      throw new DemoEhrUnreachable(`${this.config.publicUrl}${path}`, e instanceof Error ? e.message : 'failed');
    }
  }
}
