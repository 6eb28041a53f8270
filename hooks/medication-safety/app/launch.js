// SMART App Launch 2.x, EHR launch (https://hl7.org/fhir/smart-app-launch/app-launch.html):
// discover the authorization server from `iss`, then authorize with PKCE S256 and a fresh state.
import { challengeOf, CLIENT_ID, random } from './oauth.js';

// Reads the review lists; writes the order the clinician keeps or replaces; reads what an override recorded.
const SCOPE =
  'launch openid fhirUser patient/Patient.rs patient/MedicationRequest.cruds patient/MedicationStatement.rs patient/AllergyIntolerance.rs patient/Medication.rs ' +
  'patient/Provenance.rs patient/DetectedIssue.rs';

async function launch() {
  const params = new URLSearchParams(location.search);
  const iss = params.get('iss');
  const launchId = params.get('launch');
  if (!iss || !launchId) throw new Error('This page must be opened by the EHR (missing iss or launch).');
  const res = await fetch(`${iss}/.well-known/smart-configuration`, { headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`Cannot read the SMART configuration of ${iss}`);
  const smart = await res.json();
  if (!smart.code_challenge_methods_supported?.includes('S256')) throw new Error('The server does not support PKCE S256.');
  const verifier = random(48);
  const challenge = await challengeOf(verifier);
  const state = random(32);
  const redirectUri = new URL('index.html', location.href).href;
  sessionStorage.setItem(
    `smart:${state}`,
    JSON.stringify({ kind: 'launch', iss, verifier, redirectUri, tokenEndpoint: smart.token_endpoint, authorizationEndpoint: smart.authorization_endpoint, issuer: smart.issuer }),
  );
  const authorize = new URL(smart.authorization_endpoint);
  for (const [k, v] of Object.entries({
    response_type: 'code',
    client_id: CLIENT_ID,
    redirect_uri: redirectUri,
    scope: SCOPE,
    state,
    aud: iss,
    launch: launchId,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  })) authorize.searchParams.set(k, v);
  location.replace(authorize.href);
}

launch().catch((e) => {
  const status = document.getElementById('status');
  status.textContent = e.message;
  status.className = 'error';
});
