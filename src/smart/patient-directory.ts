/** Partition of the /fhir endpoint holding the patients a standalone launch can choose from. */
export const DEMO_PARTITION = 'demo';

/** A patient as the patient-choice page lists it. */
export interface PatientChoice {
  id: string;
  name: string;
}

/**
 * The patients a user may pick in a standalone launch (SMART `context-standalone-patient`). They are
 * records of the /fhir endpoint, which smart/ may not import, so fhir/ provides this under
 * PATIENT_DIRECTORY.
 */
export interface PatientDirectory {
  list(): Promise<PatientChoice[]>;
  exists(id: string): Promise<boolean>;
  /** The display name of a patient of a /fhir partition (the override page names the patient), if known there. */
  name(partition: string, id: string): Promise<string | undefined>;
}

/** Injection token for the PatientDirectory. */
export const PATIENT_DIRECTORY = Symbol('PATIENT_DIRECTORY');
