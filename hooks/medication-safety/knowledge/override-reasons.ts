import type { Coding } from '../../../src/cds/cds-types.js';

/** Code system for the override reasons this service offers (§Card overrideReasons, cds-resp-4). */
export const OVERRIDE_REASON_SYSTEM = 'http://hookwarden.dev/CodeSystem/override-reason';

const reason = (code: string, display: string): Coding => ({ system: OVERRIDE_REASON_SYSTEM, code, display });

/** Every override reason the service uses, by code. */
export const OVERRIDE_REASONS = {
  benefitOutweighsRisk: reason('benefit-outweighs-risk', 'Benefit outweighs risk'),
  willMonitor: reason('will-monitor', 'Will monitor the patient and adjust therapy'),
  toleratedPreviously: reason('patient-tolerated-previously', 'Patient has tolerated this combination previously'),
  otherStopped: reason('interacting-medication-stopped', 'The other medication is being stopped'),
  allergyRecordInaccurate: reason('allergy-record-inaccurate', 'Allergy record is inaccurate'),
  toleratedAllergen: reason('patient-tolerated-medication', 'Patient has tolerated this medication before'),
  intendedDuplicate: reason('intended-duplicate', 'Duplicate therapy is intended (e.g. dose change or taper)'),
  authorizeSeparately: reason('prescriber-will-authorize', 'Prescriber will authorize the uncoded medication separately'),
} as const satisfies Record<string, Coding>;
