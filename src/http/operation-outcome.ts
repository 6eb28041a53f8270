/**
 * FHIR OperationOutcome bodies for CDS Hooks error responses ([3.0-ballot] non-2xx responses SHOULD
 * carry one; harmless for 2.0 clients). Pure: no framework imports.
 */

/** FHIR R4 IssueType codes we emit. */
export type IssueCode = 'invalid' | 'structure' | 'not-found' | 'processing' | 'exception' | 'login' | 'forbidden' | 'expired' | 'too-long';

/** One issue: `diagnostics` is for developers and never carries PHI, tokens or stack traces. */
export interface Issue {
  severity: 'error';
  code: IssueCode;
  diagnostics?: string;
  expression?: string[];
}

/** The OperationOutcome resource as sent on the wire. */
export interface OperationOutcome {
  resourceType: 'OperationOutcome';
  issue: Issue[];
}

/** Builds an OperationOutcome with one `error` issue per entry. */
export function operationOutcome(issues: Omit<Issue, 'severity'>[]): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: issues.map((i) => ({ severity: 'error', ...i })) };
}
