import {
  checkDigest,
  checkLevel,
  checkMethod,
  checkPatient,
  checkRequestClient,
  checkSameCall,
  checkUrl,
  checkUser,
  grantedDetails,
  levelOfAcr,
  overrideProblems,
  parseAuthorizationDetails,
  type WriteAttempt,
} from './override-checks.js';
import { InvalidAuthorizationDetails } from './override-errors.js';
import { ACR_VALUES, highestLevel, levelSatisfies, type OverrideGrant, type OverrideRequestClaims } from './override-types.js';

const request = (overrides: Partial<OverrideRequestClaims> = {}): OverrideRequestClaims => ({
  rule: 'drug-allergy',
  level: 'reauthenticate',
  reason: 'allergy',
  htm: 'POST',
  htu: 'https://hw.test/fhir/MedicationRequest',
  digest: 'sha-256=abc',
  client_id: 'app',
  sub: 'Practitioner/1',
  patient: 'p1',
  grant: 'g1',
  jti: 'r1',
  iat: 0,
  exp: 300,
  ...overrides,
});

const override = (overrides: Partial<OverrideGrant> = {}, claims: Partial<OverrideRequestClaims> = {}): OverrideGrant => ({
  details: grantedDetails([request(claims)]),
  acr: ACR_VALUES.reauthenticate,
  authTime: 100,
  sub: 'Practitioner/1',
  baseGrant: 'g1',
  ...overrides,
});

const attempt: WriteAttempt = { htm: 'POST', htu: 'https://hw.test/fhir/MedicationRequest', digest: 'sha-256=abc', clientId: 'app', sub: 'Practitioner/1', patient: 'p1' };
const required = { rule: 'drug-allergy', level: 'reauthenticate' as const };

describe('override checks', () => {
  describe('parseAuthorizationDetails (RFC 9396 §2; §5 invalid_authorization_details)', () => {
    it('reads the override_request of each hookwarden-override detail', () => {
      expect(parseAuthorizationDetails(JSON.stringify([{ type: 'hookwarden-override', override_request: 't1' }, { type: 'hookwarden-override', override_request: 't2' }]))).toEqual(['t1', 't2']);
    });

    it.each([
      ['not JSON', '{', 'authorization_details is not JSON'],
      ['an object, not an array', '{"type":"hookwarden-override"}', 'authorization_details must be a non-empty JSON array'],
      ['an empty array', '[]', 'authorization_details must be a non-empty JSON array'],
      ['a null entry', '[null]', 'each authorization detail must be an object'],
      ['another type (RFC 9396 §5: unknown type)', '[{"type":"payment_initiation"}]', 'authorization detail type must be hookwarden-override'],
      ['no override_request', '[{"type":"hookwarden-override"}]', 'override_request is required'],
      ['a non-string override_request', '[{"type":"hookwarden-override","override_request":5}]', 'override_request is required'],
    ])('refuses %s', (_name, raw, message) => {
      expect(() => parseAuthorizationDetails(raw)).toThrow(new InvalidAuthorizationDetails(message));
    });

    it('is redirected back to the client with its RFC 9396 §5 code', () => {
      const e = new InvalidAuthorizationDetails('x');
      expect({ code: e.code, status: e.status, allowRedirect: e.allowRedirect }).toEqual({ code: 'invalid_authorization_details', status: 400, allowRedirect: true });
    });
  });

  it('checkRequestClient: a request issued to another client is refused (RFC 9396 §5)', () => {
    expect(() => checkRequestClient(request(), 'app')).not.toThrow();
    expect(() => checkRequestClient(request(), 'other')).toThrow('override_request was issued to another client');
  });

  it('checkSameCall: requests for different calls cannot be authorized together', () => {
    expect(() => checkSameCall([request(), request({ rule: 'critical-interaction', jti: 'r2' })])).not.toThrow();
    expect(() => checkSameCall([request(), request({ digest: 'sha-256=other' })])).toThrow('the override requests are for different calls');
    expect(() => checkSameCall([request(), request({ patient: 'p2' })])).toThrow('the override requests are for different calls');
  });

  it('grantedDetails: RFC 9396 §7 details carry the call and the request they answer', () => {
    expect(grantedDetails([request()])).toEqual([
      { type: 'hookwarden-override', rule: 'drug-allergy', level: 'reauthenticate', htm: 'POST', htu: 'https://hw.test/fhir/MedicationRequest', digest: 'sha-256=abc', patient: 'p1', request: 'r1' },
    ]);
  });

  describe('levels (RFC 9470 §3 acr)', () => {
    it('reauthenticate satisfies confirm, not the other way round', () => {
      expect(levelSatisfies('reauthenticate', 'confirm')).toBe(true);
      expect(levelSatisfies('confirm', 'confirm')).toBe(true);
      expect(levelSatisfies('confirm', 'reauthenticate')).toBe(false);
      expect(highestLevel(['confirm', 'reauthenticate'])).toBe('reauthenticate');
      expect(highestLevel(['confirm'])).toBe('confirm');
    });

    it('levelOfAcr knows only the values we issue', () => {
      expect(levelOfAcr('urn:hookwarden:acr:confirm')).toBe('confirm');
      expect(levelOfAcr('urn:hookwarden:acr:reauthenticate')).toBe('reauthenticate');
      expect(levelOfAcr('urn:mace:incommon:iap:silver')).toBeUndefined();
    });

    it('checkLevel: a confirm override does not satisfy a reauthenticate rule', () => {
      expect(checkLevel(override(), required)).toBeUndefined();
      expect(checkLevel(override({ acr: ACR_VALUES.confirm }), required)).toBe('rule drug-allergy needs reauthenticate, the override was authorized by confirm');
      expect(checkLevel(override({ acr: ACR_VALUES.confirm }), { rule: 'uncoded-medication', level: 'confirm' })).toBeUndefined();
      expect(checkLevel(override({ acr: 'urn:other' }), required)).toBe('rule drug-allergy needs reauthenticate, the override was authorized by an unknown method');
    });
  });

  describe('one exact call (DESIGN.md "Override token")', () => {
    const [detail] = override().details;
    it.each([
      ['checkMethod', () => checkMethod(detail!, { ...attempt, htm: 'PUT' }), 'the override is for another method'],
      ['checkUrl', () => checkUrl(detail!, { ...attempt, htu: 'https://hw.test/fhir/MedicationRequest/x' }), 'the override is for another URL'],
      ['checkDigest', () => checkDigest(detail!, { ...attempt, digest: 'sha-256=zzz' }), 'the override is for another body'],
      ['checkPatient', () => checkPatient(detail!, { ...attempt, patient: 'p2' }), 'the override is for another patient'],
      ['checkUser', () => checkUser(override(), { ...attempt, sub: 'Practitioner/2' }), 'the override was authorized by another user'],
    ])('%s names the mismatch', (_name, check, message) => {
      expect(check()).toBe(message);
    });

    it('each check passes for the call the override was granted for', () => {
      expect([checkMethod(detail!, attempt), checkUrl(detail!, attempt), checkDigest(detail!, attempt), checkPatient(detail!, attempt), checkUser(override(), attempt)]).toEqual([
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
      ]);
    });
  });

  describe('overrideProblems', () => {
    it('no override at all: the rule needs one', () => {
      expect(overrideProblems(undefined, 'app', attempt, required)).toEqual(['rule drug-allergy needs an override (reauthenticate)']);
    });

    it('an override for another rule does not cover this one', () => {
      expect(overrideProblems(override({}, { rule: 'uncoded-medication' }), 'app', attempt, required)).toEqual(['the override does not cover rule drug-allergy']);
    });

    it('the matching override has no problem', () => {
      expect(overrideProblems(override(), 'app', attempt, required)).toEqual([]);
    });

    it('lists every mismatch, including another client’s override', () => {
      expect(overrideProblems(override({ acr: ACR_VALUES.confirm }), 'other', { ...attempt, digest: 'sha-256=zzz' }, required)).toEqual([
        'rule drug-allergy needs reauthenticate, the override was authorized by confirm',
        'the override is for another body',
        'the override was issued to another client',
      ]);
    });
  });
});
