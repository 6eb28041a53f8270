import type { SmartClientConfig } from '../../config/app-config.js';
import type { SmartUrls } from '../../smart/smart-urls.js';
import { OVERRIDE_DETAILS_TYPE } from '../../smart/override/override-types.js';
import { SEARCH_PARAMS } from './search.js';

/** FHIR R4 `$validate`: the pre-emptive path of a write that may need an override. */
const VALIDATE = { name: 'validate', definition: 'http://hl7.org/fhir/OperationDefinition/Resource-validate' };

/** Types the demo data and the bundled app use. */
const READ_TYPES = ['Patient', 'Practitioner', 'Encounter', 'MedicationRequest', 'MedicationStatement', 'AllergyIntolerance', 'Observation', 'Condition', 'Medication'];

/**
 * `GET /fhir/metadata`: the R4 CapabilityStatement with the SMART security service and the
 * `oauth-uris` extension (SMART conformance.md, STU1 discovery still checked by Inferno).
 */
export function capabilityStatement(u: SmartUrls, clients: readonly SmartClientConfig[], now: Date): Record<string, unknown> {
  const writable = new Set(clients.flatMap((c) => c.writableTypes));
  const types = [...new Set([...READ_TYPES, ...writable])].sort();
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: now.toISOString(),
    kind: 'instance',
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'application/json'],
    implementation: { description: 'Hookwarden SMART-protected FHIR endpoint', url: u.fhirBase },
    rest: [
      {
        mode: 'server',
        security: {
          cors: true,
          service: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }] }],
          extension: [
            {
              url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
              extension: [
                { url: 'authorize', valueUri: u.authorize },
                { url: 'token', valueUri: u.token },
                { url: 'introspect', valueUri: u.introspect },
                { url: 'revoke', valueUri: u.revoke },
              ],
            },
            // DESIGN.md flow 5: a refused write's OperationOutcome carries this extension; its token goes to `authorize`
            // as RFC 9396 authorization_details of type hookwarden-override.
            {
              url: `${u.fhirBase}/StructureDefinition/override-request`,
              extension: [
                { url: 'authorize', valueUri: u.authorize },
                { url: 'type', valueCode: OVERRIDE_DETAILS_TYPE },
              ],
            },
          ],
        },
        resource: types.map((type) => ({
          type,
          interaction: [{ code: 'read' }, { code: 'search-type' }, ...(writable.has(type) ? [{ code: 'create' }, { code: 'update' }] : [])],
          ...(writable.has(type) ? { operation: [VALIDATE] } : {}),
          searchParam: SEARCH_PARAMS.filter((p) => p !== '_count').map((name) => ({ name, type: name === '_id' ? 'token' : ['patient', 'subject', 'target'].includes(name) ? 'reference' : 'token' })),
        })),
      },
    ],
  };
}
