import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { ConfigError } from '../../config/config-error.js';
import { type Issue, type OperationOutcome, operationOutcome } from '../../http/operation-outcome.js';
import type { FhirResource } from '../../scopes/index.js';
import type { ActiveAccessToken } from '../../smart/access-token.verifier.js';
import { overrideProblems, type WriteAttempt } from '../../smart/override/override-checks.js';
import { OverrideRequests } from '../../smart/override/override-requests.js';
import { highestLevel, type OverrideGrant } from '../../smart/override/override-types.js';
import { type OverrideEvent, OverridesRepository } from '../../smart/override/overrides.repository.js';
import { smartUrls } from '../../smart/smart-urls.js';
import type { WriteRuleFinding } from '../fhir-types.js';
import { OverrideRequired } from './fhir-errors.js';
import { FHIR_SOURCE, type FhirSource } from './fhir-source.js';
import { overrideDetectedIssues, overrideProvenance } from './override-records.js';
import { parseSearch } from './search.js';
import { bodyDigest, overrideConfigProblems, overrideIssue, requiredOverrides, type ServiceWriteRules, type UnmetRule, WRITE_RULES } from './write-policy.js';

/** A create or update as the policy sees it: the exact call an override must match. */
export interface PendingWrite {
  interaction: 'create' | 'update';
  htm: 'POST' | 'PUT';
  htu: string;
  body: FhirResource;
}

/** A write the policy let through on an override: what to record once it is stored. */
export interface AcceptedOverride {
  findings: WriteRuleFinding[];
  override: OverrideGrant;
  jti: string;
}

/**
 * The /fhir write policy (DESIGN.md flow 5): before a create or update, the launching service's rules run
 * over the resource and the launch's data; a write that trips one is refused 403 with an override-request
 * token per rule, unless its bearer token is an override for exactly this call, which it then consumes
 * (single-use, in the database). The decisions are the pure functions of write-policy.ts and
 * override-checks.ts; this class only fetches what they need and records what they decided.
 */
@Injectable()
export class WritePolicy implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(WRITE_RULES) private readonly rules: ServiceWriteRules,
    @Inject(FHIR_SOURCE) private readonly source: FhirSource,
    private readonly requests: OverrideRequests,
    private readonly overrides: OverridesRepository,
  ) {}

  /** An operator's `overrides` that lowers a level or names no rule stops the start (DESIGN.md configuration contract). */
  onModuleInit(): void {
    const problems = overrideConfigProblems(this.rules, this.config.overrides);
    if (problems.length) throw new ConfigError(this.config.configPath ?? 'configuration', problems);
  }

  /** Lets the write through (with the override it consumed, if it needed one) or throws OverrideRequired. */
  async admit(token: ActiveAccessToken, write: PendingWrite): Promise<AcceptedOverride | undefined> {
    const findings = await this.findings(token, write.body);
    if (findings.length === 0) return undefined;
    const override = token.grant.context.override;
    const attempt = this.attempt(token, write);
    let problems = findings.map((f) => overrideProblems(override, token.grant.clientId, attempt, f));
    if (override !== undefined && problems.every((p) => p.length === 0)) {
      const used = await this.overrides.consume(token.claims.jti, override.details.map((d) => d.request), new Date());
      if (used) return { findings, override, jti: token.claims.jti };
      problems = findings.map(() => ['the override was already used']);
    }
    const unmet = await this.unmet(token, write, findings, problems.map((p) => p.join('; ')));
    await this.overrides.record(findings.map((f) => this.event('refused', token, f)), new Date());
    throw new OverrideRequired(unmet.map((u) => overrideIssue(this.config, smartUrls(this.config).authorize, u)), highestLevel(findings.map((f) => f.level)));
  }

  /** `$validate` (DESIGN.md "Pre-emptive"): the same issues as `warning`, or one `information` issue; nothing written. */
  async validate(token: ActiveAccessToken, write: PendingWrite): Promise<OperationOutcome> {
    const findings = await this.findings(token, write.body);
    if (findings.length === 0) return operationOutcome([{ severity: 'information', code: 'informational', diagnostics: 'no override is needed for this write' }]);
    const unmet = await this.unmet(token, write, findings, findings.map((f) => `rule ${f.rule} needs an override (${f.level})`));
    return operationOutcome(unmet.map((u): Issue => overrideIssue(this.config, smartUrls(this.config).authorize, u, 'warning')));
  }

  /** DESIGN.md "Record": a Provenance of the written resource, a DetectedIssue per critical finding, the `used` events. */
  async record(token: ActiveAccessToken, write: PendingWrite, written: FhirResource, accepted: AcceptedOverride | undefined): Promise<void> {
    if (accepted === undefined) return;
    const input = {
      publicUrl: this.config.publicUrl,
      written,
      interaction: write.interaction,
      findings: accepted.findings,
      override: accepted.override,
      jti: accepted.jti,
      patient: token.grant.context.patient,
      at: new Date(),
    };
    const partition = token.grant.context.partition;
    for (const resource of [overrideProvenance(input), ...overrideDetectedIssues(input)]) await this.source.create(partition, resource);
    await this.overrides.record(accepted.findings.map((f) => this.event('used', token, f)), new Date());
  }

  /** The findings of the launching service's rules over the write and the launch's data, at the required levels. */
  private async findings(token: ActiveAccessToken, resource: FhirResource): Promise<WriteRuleFinding[]> {
    const rules = this.rules.get(token.grant.context.serviceId ?? '') ?? [];
    if (rules.length === 0) return [];
    const { partition, patient } = token.grant.context;
    const search = parseSearch(patient === undefined ? {} : { patient });
    const types = [...new Set(rules.flatMap((r) => r.reads))];
    const data = (await Promise.all(types.map((type) => this.source.search(partition, type, search)))).flat().filter((r) => search.matches(r));
    return requiredOverrides(rules, { resource, patientId: patient, data }, this.config.overrides);
  }

  private attempt(token: ActiveAccessToken, write: PendingWrite): WriteAttempt {
    const ctx = token.grant.context;
    return { htm: write.htm, htu: write.htu, digest: bodyDigest(write.body), clientId: token.claims.client_id, sub: ctx.fhirUser, patient: ctx.patient };
  }

  /** An override-request token per finding, for the user and grant the call was made under. */
  private unmet(token: ActiveAccessToken, write: PendingWrite, findings: readonly WriteRuleFinding[], problems: readonly string[]): Promise<UnmetRule[]> {
    const ctx = token.grant.context;
    const attempt = this.attempt(token, write);
    return Promise.all(
      findings.map(async (finding, i) => ({
        finding,
        problem: problems[i] ?? '',
        token: await this.requests.mint({
          rule: finding.rule,
          level: finding.level,
          reason: finding.reason,
          htm: attempt.htm,
          htu: attempt.htu,
          digest: attempt.digest,
          client_id: token.claims.client_id,
          sub: ctx.override?.sub ?? ctx.fhirUser ?? token.grant.clientId,
          patient: ctx.patient,
          grant: ctx.override?.baseGrant ?? token.grant.id,
        }),
      })),
    );
  }

  private event(event: OverrideEvent['event'], token: ActiveAccessToken, finding: WriteRuleFinding): OverrideEvent {
    const ctx = token.grant.context;
    return {
      event,
      serviceId: ctx.serviceId,
      rule: finding.rule,
      level: finding.level,
      clientId: token.claims.client_id,
      userRef: ctx.fhirUser,
      grantId: ctx.override?.baseGrant ?? token.grant.id,
      overrideJti: ctx.override === undefined ? undefined : token.claims.jti,
    };
  }
}
