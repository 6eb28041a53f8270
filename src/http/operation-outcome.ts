/**
 * FHIR R4 OperationOutcome bodies: the error responses of the CDS transport ([3.0-ballot] non-2xx
 * responses SHOULD carry one; harmless for 2.0 clients) and of /fhir, and the `$validate` answer.
 * Pure: no framework imports.
 */

/** FHIR R4 IssueType codes we emit. */
export type IssueCode =
  | 'invalid'
  | 'structure'
  | 'not-found'
  | 'processing'
  | 'exception'
  | 'security'
  | 'login'
  | 'forbidden'
  | 'expired'
  | 'too-long'
  | 'transient'
  | 'informational';

/** FHIR R4 IssueSeverity: `error` for refusals; `warning` and `information` for `$validate` answers. */
export type IssueSeverity = 'fatal' | 'error' | 'warning' | 'information';

/** FHIR R4 Coding. */
export interface Coding {
  system?: string;
  code?: string;
  display?: string;
}

/** FHIR R4 CodeableConcept. */
export interface CodeableConcept {
  coding?: Coding[];
  text?: string;
}

/** FHIR R4 Extension: a `url`, and either one `value[x]` or nested extensions. */
export interface Extension {
  url: string;
  extension?: Extension[];
  valueString?: string;
  valueCode?: string;
  valueUrl?: string;
  valueUri?: string;
  valueBoolean?: boolean;
  valueInteger?: number;
}

/** One issue: `diagnostics` is for developers and never carries PHI, tokens or stack traces. */
export interface Issue {
  severity: IssueSeverity;
  code: IssueCode;
  details?: CodeableConcept;
  diagnostics?: string;
  expression?: string[];
  extension?: Extension[];
}

/** An issue as handed to the builder: the severity defaults to `error`. */
export type IssueInput = Omit<Issue, 'severity'> & { severity?: IssueSeverity };

/** The OperationOutcome resource as sent on the wire. */
export interface OperationOutcome {
  resourceType: 'OperationOutcome';
  issue: Issue[];
}

/** Builds an OperationOutcome; an issue without a severity is an `error`. */
export function operationOutcome(issues: IssueInput[]): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: issues.map(({ severity = 'error', ...rest }) => ({ severity, ...rest })) };
}
