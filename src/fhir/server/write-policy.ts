import { createHash } from 'node:crypto';
import type { AppConfig } from '../../config/app-config.js';
import { canonicalJson } from '../../http/canonical-json.js';
import type { Issue, IssueSeverity } from '../../http/operation-outcome.js';
import { highestLevel, type OverrideLevel } from '../../smart/override/override-types.js';
import type { WriteRule, WriteRuleFinding, WriteRuleInput } from '../fhir-types.js';

/*
 * The /fhir write policy (DESIGN.md "Step-up override protocol"), pure: which of the launching service's
 * rules a write trips, at what level, and how the refusal reads on the wire.
 */

/** Injection token: service id → the write rules of the apps its cards launch. */
export const WRITE_RULES = Symbol('WRITE_RULES');
export type ServiceWriteRules = ReadonlyMap<string, readonly WriteRule[]>;

/** The write rules of each service definition, by service id. */
export function writeRulesByService(defs: readonly { id: string; writeRules?: readonly WriteRule[] }[]): ServiceWriteRules {
  return new Map(defs.map((d) => [d.id, d.writeRules ?? []]));
}

/**
 * The findings of every rule the write trips, each at the level the host requires: the service's, or the
 * operator's `overrides` entry for that rule when it is higher (DESIGN.md configuration contract).
 */
export function requiredOverrides(rules: readonly WriteRule[], input: WriteRuleInput, operator: Readonly<Record<string, OverrideLevel>>): WriteRuleFinding[] {
  return rules.flatMap((rule) => {
    const finding = rule.check(input);
    if (finding === null) return [];
    const raised = operator[finding.rule];
    return [{ ...finding, level: raised === undefined ? finding.level : highestLevel([finding.level, raised]) }];
  });
}

/**
 * The operator's `overrides` that cannot be honoured: a rule no service declares, or a level below the
 * service's (an operator may raise a level, never lower it).
 */
export function overrideConfigProblems(rules: ServiceWriteRules, overrides: Readonly<Record<string, OverrideLevel>>): string[] {
  const declared = [...rules.values()].flat();
  return Object.entries(overrides).flatMap(([rule, level]) => {
    const matching = declared.filter((r) => r.rule === rule);
    if (matching.length === 0) return [`overrides.${rule}: no service declares a write rule ${rule}`];
    const lowered = matching.find((r) => highestLevel([r.level, level]) !== level);
    return lowered ? [`overrides.${rule}: ${level} is below the service's level ${lowered.level}`] : [];
  });
}

/** DESIGN.md `digest`: `sha-256=` and the base64 SHA-256 of the body's canonical JSON (keys sorted at every level). */
export function bodyDigest(body: unknown): string {
  return `sha-256=${createHash('sha256').update(canonicalJson(body)).digest('base64')}`;
}

/** Where the override vocabulary lives under this server's FHIR base. */
export function overrideUrls(config: Pick<AppConfig, 'publicUrl'>): { codeSystem: string; extension: string } {
  return {
    codeSystem: `${config.publicUrl}/fhir/CodeSystem/override`,
    extension: `${config.publicUrl}/fhir/StructureDefinition/override-request`,
  };
}

/** One unmet rule and how to satisfy it. */
export interface UnmetRule {
  finding: WriteRuleFinding;
  /** The override-request token for it. */
  token: string;
  /** Why the override presented (if any) did not satisfy it. */
  problem: string;
}

/**
 * DESIGN.md "Refusal": one issue per unmet rule, `security`, details.coding `override-required`, and the
 * override-request extension with `token`, `level`, `rule` and `authorize`. `$validate` lists the same
 * issues as `warning`.
 */
export function overrideIssue(config: Pick<AppConfig, 'publicUrl'>, authorize: string, unmet: UnmetRule, severity: IssueSeverity = 'error'): Issue {
  const u = overrideUrls(config);
  return {
    severity,
    code: 'security',
    details: { coding: [{ system: u.codeSystem, code: 'override-required', display: 'Override required' }], text: unmet.finding.reason },
    diagnostics: unmet.problem,
    extension: [
      {
        url: u.extension,
        extension: [
          { url: 'token', valueString: unmet.token },
          { url: 'level', valueCode: unmet.finding.level },
          { url: 'rule', valueCode: unmet.finding.rule },
          { url: 'authorize', valueUrl: authorize },
        ],
      },
    ],
  };
}
