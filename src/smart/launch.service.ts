import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { LaunchSnapshotRepository } from './launch-snapshots.repository.js';
import { LaunchesRepository } from './launches.repository.js';
import { randomToken, sha256Hex } from './secrets.js';
import { emit } from '../http/telemetry.js';

/** SMART 2.2 `fhirContext` item (scopes-and-launch-context.md "fhirContext"). */
export interface FhirContextItem {
  reference?: string;
  canonical?: string;
  identifier?: Record<string, unknown>;
  type?: string;
  role?: string;
}

/** What a launch token stands for (DESIGN.md flow 2; smart-auth.md §4.4 launch record). */
export interface LaunchBinding {
  /** The SMART client the launch is for; /authorize rejects any other client. */
  clientId: string;
  /** The FHIR base the launch was minted for (the `iss` of the launch URL); must equal the request's `aud`. */
  iss: string;
  /** The clinician, as a fhirUser reference (e.g. `Practitioner/1`). */
  userId: string;
  patientId: string;
  encounterId?: string;
  /** Upper bound of what the app may be granted (space-separated SMART scopes). */
  scopeCeiling: string;
  /** CDS Hooks link `appContext`, returned verbatim in the token response. */
  appContext?: string;
  hookInstance?: string;
  serviceId?: string;
  /** The card whose link minted the launch (analytics: launch funnel per rule). */
  cardUuid?: string;
  fhirContext?: FhirContextItem[];
}

/**
 * Mints and redeems SMART launch tokens: ≥128-bit random, stored hashed, short-lived
 * (`lifetimes.launch`), single use (SMART app-launch.md `launch`; smart-auth.md §0.5).
 */
@Injectable()
export class LaunchService {
  constructor(
    @Inject(LaunchesRepository) private readonly repository: LaunchesRepository,
    @Inject(LaunchSnapshotRepository) private readonly snapshots: LaunchSnapshotRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Stores `binding` and returns the opaque launch token to put in the launch URL. */
  async mint(binding: LaunchBinding): Promise<string> {
    emit('smart.launch', { clientId: binding.clientId });
    const token = randomToken();
    const now = Date.now();
    await this.repository.insert({
      token_hash: sha256Hex(token),
      client_id: binding.clientId,
      iss: binding.iss,
      binding,
      created_at: new Date(now),
      expires_at: new Date(now + this.config.lifetimes.launch * 1000),
    });
    return token;
  }

  /**
   * Redeems a launch at /authorize: atomically marks it used, and only if it is unexpired, unused,
   * minted for `clientId` and for the FHIR base `aud`. Returns undefined otherwise.
   */
  async consume(token: string, clientId: string, aud: string): Promise<LaunchBinding | undefined> {
    const now = new Date();
    const binding = await this.repository.consume(sha256Hex(token), clientId, aud, now);
    // The grant may first read the call's data at any time in its life: housekeeping keeps a claimed snapshot that long.
    if (binding?.hookInstance !== undefined) await this.snapshots.claim(binding.hookInstance, now);
    return binding;
  }
}
