import type { EvaluationData, UnavailablePrefetch } from '../../src/cds/cds-types.js';
import { refersToPatient, toMedicationItem, type MedicationItem } from './medications.js';
import { readAllergy, readBundle, readMedication, unreadableGaps, type AllergyView } from './reader.js';

/** The patient data the checks compare the drafts with, and what of it is missing and why. */
export interface PatientData {
  /** Active MedicationRequests and MedicationStatements of the patient. */
  actives: MedicationItem[];
  /** AllergyIntolerances of the patient (in force or not: the allergy check decides). */
  allergies: AllergyView[];
  gaps: UnavailablePrefetch[];
}

interface KeyRead<T> {
  items: T[];
  gaps: UnavailablePrefetch[];
}

/**
 * The resources of `type` in one prefetch searchset, read. What the host reported unavailable is kept;
 * a key missing without a report, or holding no readable searchset, is a gap too, so that nothing
 * missing is ever read as "the patient has none". `null` is "the client searched and found nothing"
 * (§Prefetch), not a gap.
 */
function readKey<T>(data: EvaluationData, key: string, type: string, read: (v: unknown) => T | undefined): KeyRead<T> {
  const reported = data.unavailable.filter((u) => u.key === key);
  const value = data.prefetch[key];
  if (value === null) return { items: [], gaps: reported };
  if (value === undefined) return { items: [], gaps: reported.length > 0 ? reported : [{ key, reason: 'not-supplied-and-not-fetchable' }] };
  const bundle = readBundle(value);
  if (bundle === undefined) return { items: [], gaps: [...reported, { key, reason: value.resourceType === 'OperationOutcome' ? 'fetch-failed' : 'invalid-data' }] };
  const ofType = bundle.resources.filter((r) => r.resourceType === type);
  const items = ofType.flatMap((r) => {
    const item = read(r);
    return item === undefined ? [] : [item];
  });
  return { items, gaps: [...reported, ...unreadableGaps(key, bundle.unreadable + ofType.length - items.length, items.length)] };
}

/**
 * The patient's active medications and allergies from the prefetch. A resource of another patient is
 * left out: mixing patients is worse than a missing entry (the host's scope evaluator already drops them).
 */
export function readPatientData(data: EvaluationData, patientId: string): PatientData {
  const requests = readKey(data, 'medicationRequests', 'MedicationRequest', readMedication);
  const statements = readKey(data, 'medicationStatements', 'MedicationStatement', readMedication);
  const allergies = readKey(data, 'allergyIntolerances', 'AllergyIntolerance', readAllergy);
  return {
    actives: [...requests.items, ...statements.items]
      .filter((m) => m.status === 'active' && refersToPatient(m.subject, patientId))
      .map((m) => toMedicationItem(m, 'active')),
    allergies: allergies.items.filter((a) => refersToPatient(a.patient, patientId)),
    gaps: [...requests.gaps, ...statements.gaps, ...allergies.gaps],
  };
}
