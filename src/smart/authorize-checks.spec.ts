import type { SmartClientConfig } from '../config/app-config.js';
import {
  AuthorizeRedirectError,
  checkAudience,
  checkClient,
  checkLaunch,
  checkPkce,
  checkRedirectUri,
  checkResponseType,
  checkScope,
  redirectWith,
  validateAuthorizeRequest,
} from './authorize-checks.js';
import { AuthorizePageError, InvalidRequest, InvalidScope, UnsupportedResponseType } from './oauth-errors.js';

const FHIR = 'https://hw.test/fhir';
const client: SmartClientConfig = {
  clientId: 'app',
  name: 'App',
  redirectUris: ['https://app.test/cb'],
  scope: 'launch openid',
  auth: 'none',
  autoApprove: true,
  writableTypes: [],
};
const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const good = {
  response_type: 'code',
  client_id: 'app',
  redirect_uri: 'https://app.test/cb',
  scope: 'launch openid',
  state: 's',
  aud: FHIR,
  code_challenge: challenge,
  code_challenge_method: 'S256',
  launch: 'L',
};

describe('authorization request checks', () => {
  it('A2 checkClient: known client only; repeated client_id counts as absent', () => {
    expect(checkClient(good, [client])).toBe(client);
    expect(() => checkClient({ client_id: 'other' }, [client])).toThrow(AuthorizePageError);
    expect(() => checkClient({ client_id: ['app', 'app'] }, [client])).toThrow(AuthorizePageError);
  });

  it.each(['https://app.test/cb/', 'https://app.test/cb?x=1', 'https://APP.test/cb', 'http://app.test/cb', 'https://app.test/c', 'https://app.test:443/cb', undefined])(
    'A1 A3 checkRedirectUri: exact string match only (%s rejected)',
    (uri) => {
      expect(() => checkRedirectUri({ redirect_uri: uri }, client)).toThrow(AuthorizePageError);
    },
  );

  it('A5 checkResponseType: code only', () => {
    expect(() => checkResponseType({ response_type: 'code' })).not.toThrow();
    expect(() => checkResponseType({ response_type: 'token' })).toThrow(UnsupportedResponseType);
    expect(() => checkResponseType({})).toThrow(InvalidRequest);
  });

  it('A6 checkPkce: S256 with a 43-char challenge; plain, absent method or challenge rejected', () => {
    expect(checkPkce(good)).toBe(challenge);
    expect(() => checkPkce({ ...good, code_challenge_method: 'plain' })).toThrow(InvalidRequest);
    expect(() => checkPkce({ ...good, code_challenge_method: undefined })).toThrow(InvalidRequest);
    expect(() => checkPkce({ ...good, code_challenge: undefined })).toThrow(InvalidRequest);
    expect(() => checkPkce({ ...good, code_challenge: 'short' })).toThrow(InvalidRequest);
  });

  it('A7 checkAudience: our FHIR base byte-exact, `resource` as synonym', () => {
    expect(checkAudience({ aud: FHIR }, FHIR)).toBe(FHIR);
    expect(checkAudience({ resource: FHIR }, FHIR)).toBe(FHIR);
    expect(() => checkAudience({ aud: `${FHIR}/` }, FHIR)).toThrow(InvalidRequest);
    expect(() => checkAudience({}, FHIR)).toThrow(InvalidRequest);
  });

  it('checkScope and checkLaunch: scope required; launch scope and launch parameter go together', () => {
    expect(() => checkScope({ scope: '  ' })).toThrow(InvalidScope);
    expect(checkLaunch({ launch: 'L' }, 'launch openid')).toBe('L');
    expect(checkLaunch({}, 'launch/patient openid')).toBeUndefined();
    expect(() => checkLaunch({}, 'launch openid')).toThrow(InvalidRequest);
    expect(() => checkLaunch({ launch: 'L' }, 'openid')).toThrow(InvalidRequest);
  });

  it('A4 validateAuthorizeRequest: page errors before the redirect is trusted, redirect errors after', () => {
    expect(validateAuthorizeRequest(good, [client], FHIR)).toMatchObject({ redirectUri: 'https://app.test/cb', launch: 'L', state: 's' });
    expect(() => validateAuthorizeRequest({ ...good, redirect_uri: 'https://evil.test/', aud: 'x' }, [client], FHIR)).toThrow(AuthorizePageError);
    const error = (() => {
      try {
        validateAuthorizeRequest({ ...good, aud: 'https://other.test/fhir' }, [client], FHIR);
        return undefined;
      } catch (e) {
        return e as AuthorizeRedirectError;
      }
    })();
    expect(error).toBeInstanceOf(AuthorizeRedirectError);
    expect(error?.state).toBe('s');
    expect(error?.oauth.code).toBe('invalid_request');
  });

  it('A9 redirectWith keeps the registered query and encodes state losslessly', () => {
    const url = new URL(redirectWith('https://app.test/cb?keep=1', { code: 'c', state: 'a&b=c ü', iss: FHIR, absent: undefined }));
    expect(url.searchParams.get('keep')).toBe('1');
    expect(url.searchParams.get('state')).toBe('a&b=c ü');
    expect(url.searchParams.has('absent')).toBe(false);
  });
});
