import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { UnknownServiceError } from './cds-errors.js';
import { CDS_SERVICES } from './cds-services.token.js';
import type { DiscoveryService, ServiceApp, ServiceDefinition } from './cds-types.js';
import { definitionProblems, toDiscoveryService } from './discovery.js';
import { serviceApps } from './service-apps.js';

/** The services this host serves, validated once at start so a bad definition stops the boot. */
@Injectable()
export class ServiceRegistry implements OnModuleInit {
  private readonly byId = new Map<string, ServiceDefinition>();
  private discovery: { services: DiscoveryService[] } = { services: [] };

  constructor(@Inject(CDS_SERVICES) private readonly definitions: ServiceDefinition[]) {}

  onModuleInit(): void {
    const problems = definitionProblems(this.definitions);
    if (problems.length > 0) throw new Error(`invalid CDS service definitions:\n- ${problems.join('\n- ')}`);
    for (const def of this.definitions) this.byId.set(def.id, def);
    this.discovery = { services: this.definitions.map(toDiscoveryService) };
  }

  /** §Discovery response body (computed once: definitions are static). */
  discover(): { services: DiscoveryService[] } {
    return this.discovery;
  }

  /** The SMART apps the services ship, for the host to serve their files. */
  apps(): ServiceApp[] {
    return serviceApps(this.definitions);
  }

  /** The service at `/cds-services/{id}`, or UnknownServiceError (404). */
  get(id: string): ServiceDefinition {
    const def = this.byId.get(id);
    if (def === undefined) throw new UnknownServiceError();
    return def;
  }
}
