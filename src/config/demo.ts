import { generateKeyPairSync, randomBytes, scryptSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { BootError } from './config-error.js';
import type { EhrConfig, UserConfig } from './config.schema.js';

export const DEMO_EHR_ISSUER = 'https://demo-ehr.hookwarden.local';
export const DEMO_EHR_KEY_FILE = 'demo-ehr-key.json';

export interface DemoEhrKey {
  issuer: string;
  /** Private JWK (ES384); only the demo EHR simulator reads it. */
  privateJwk: Record<string, unknown> & { kid: string };
  publicJwk: Record<string, unknown> & { kid: string };
}

// RFC 7518 §6.2: an EC P-384 key as ensureDemoEhrKey writes it (ES384, RFC 7518 §3.4).
const ecPublicJwk = z.looseObject({ kty: z.literal('EC'), crv: z.literal('P-384'), x: z.string().min(1), y: z.string().min(1), kid: z.string().min(1) });
const demoEhrKeySchema = z.object({
  issuer: z.string().min(1),
  privateJwk: ecPublicJwk.extend({ d: z.string().min(1) }),
  publicJwk: ecPublicJwk,
});

const REGENERATE = 'Delete it and start again to generate a new demo EHR key (the demo EHR simulator reads the new one), or restore it from a backup.';

/** The demo EHR key in `file`, or a BootError naming the file, what is wrong with it and the fix. */
function readDemoEhrKey(file: string): DemoEhrKey {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new BootError(`${file} is not valid JSON (${(e as Error).message}). ${REGENERATE}`);
  }
  const parsed = demoEhrKeySchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');
    throw new BootError(`${file} is not a demo EHR key (${problems}): every call signed by the demo EHR would be refused. ${REGENERATE}`);
  }
  return parsed.data as DemoEhrKey;
}

/**
 * Demo mode (DESIGN.md): the first start generates an ES384 key pair for a simulated EHR in
 * DATA_DIR and trusts it, so `npm start` works on a fresh machine and `npm run ehr` can sign calls.
 */
export function ensureDemoEhrKey(dataDir: string): DemoEhrKey {
  const file = join(dataDir, DEMO_EHR_KEY_FILE);
  if (existsSync(file)) return readDemoEhrKey(file);
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  const kid = randomBytes(8).toString('hex');
  const key: DemoEhrKey = {
    issuer: DEMO_EHR_ISSUER,
    privateJwk: { ...privateKey.export({ format: 'jwk' }), kid, alg: 'ES384', use: 'sig' },
    publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES384', use: 'sig' },
  };
  try {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(key, null, 2), { mode: 0o600 });
  } catch (e) {
    const { code = 'error', message } = e as NodeJS.ErrnoException;
    const fix = code === 'ENOSPC' ? 'No space is left on that device: free disk space' : 'Make DATA_DIR writable for the user running Hookwarden';
    throw new BootError(`${file} could not be written (${code}: ${message}). ${fix} and start again.`);
  }
  return key;
}

export function demoEhr(key: DemoEhrKey): EhrConfig {
  return {
    issuer: key.issuer,
    jwks: { keys: [key.publicJwk as { kty: string; kid: string }] },
    algorithms: ['ES384'],
    fhirServers: [],
  };
}

/** Scrypt parameters shared with smart/passwords.ts: N=2^15, r=8, p=1 (OWASP minimum). */
export function hashPasswordSync(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, 32, { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  return `scrypt$32768$8$1$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/** The demo clinician's fhirUser: the demo EHR names them in its hooks, so they may open the card links. */
export const DEMO_CLINICIAN = 'Practitioner/demo-practitioner';

/** The demo users (password `demo`): a clinician for the standalone launch, and the service owner who reads analytics. */
export function demoUsers(): UserConfig[] {
  const hash = hashPasswordSync('demo');
  return [
    { username: 'dr.demo', passwordHash: hash, fhirUser: DEMO_CLINICIAN, roles: ['clinician'] },
    { username: 'owner.demo', passwordHash: hash, fhirUser: 'Practitioner/demo-owner', roles: ['analyst', 'admin'] },
  ];
}

/** A FHIR resource as the demo configuration seeds it. */
export interface DemoResource {
  resourceType: string;
  id: string;
  [key: string]: unknown;
}

const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const LOINC = 'http://loinc.org';
const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';

const patient = (id: string, given: string, family: string, gender: string, birthDate: string): DemoResource => ({
  resourceType: 'Patient',
  id,
  active: true,
  name: [{ given: [given], family }],
  gender,
  birthDate,
});

const medicationRequest = (id: string, patientId: string, code: string, display: string): DemoResource => ({
  resourceType: 'MedicationRequest',
  id,
  status: 'active',
  intent: 'order',
  medicationCodeableConcept: { coding: [{ system: RXNORM, code, display }] },
  subject: { reference: `Patient/${patientId}` },
});

const observation = (id: string, patientId: string, category: string, code: string, display: string, value: number): DemoResource => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  category: [{ coding: [{ system: OBSERVATION_CATEGORY, code: category }] }],
  code: { coding: [{ system: LOINC, code, display }] },
  subject: { reference: `Patient/${patientId}` },
  valueQuantity: { value },
});

/**
 * The records a standalone launch of the demo can choose from and read (fictional people): the demo
 * users' Practitioners and two patients with orders, an allergy and results. Only the demo
 * configuration carries them; a deployment with a configuration file gets none.
 */
export function demoResources(): DemoResource[] {
  return [
    patient('demo-patient-1', 'Maria', 'Demo', 'female', '1948-03-14'),
    patient('demo-patient-2', 'Jon', 'Sample', 'male', '1962-11-02'),
    { resourceType: 'Practitioner', id: 'demo-practitioner', name: [{ given: ['Dana'], family: 'Demo', prefix: ['Dr.'] }] },
    { resourceType: 'Practitioner', id: 'demo-owner', name: [{ given: ['Owen'], family: 'Demo' }] },
    {
      resourceType: 'Encounter',
      id: 'demo-encounter-1',
      status: 'in-progress',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
      subject: { reference: 'Patient/demo-patient-1' },
    },
    medicationRequest('demo-medrx-1', 'demo-patient-1', '855332', 'warfarin sodium 5 MG Oral Tablet'),
    medicationRequest('demo-medrx-2', 'demo-patient-2', '197361', 'amlodipine 5 MG Oral Tablet'),
    {
      resourceType: 'AllergyIntolerance',
      id: 'demo-allergy-1',
      clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] },
      code: { coding: [{ system: RXNORM, code: '7980', display: 'penicillin G' }] },
      patient: { reference: 'Patient/demo-patient-1' },
    },
    observation('demo-obs-1', 'demo-patient-1', 'laboratory', '6301-6', 'INR', 2.4),
    observation('demo-obs-2', 'demo-patient-1', 'vital-signs', '8867-4', 'Heart rate', 72),
    observation('demo-obs-3', 'demo-patient-2', 'laboratory', '2160-0', 'Creatinine', 1.1),
  ];
}
