import type { EhrConfig } from '../config/app-config.js';
import {
  algorithmAllowed,
  audienceMatches,
  checkUnverifiedJwt,
  expectedAudience,
  issuedAtNotInFuture,
  jkuAllowed,
  jtiPresent,
  kidPresent,
  lifetimeWithinLimit,
  noCriticalExtensions,
  notExpired,
  tenantAllowed,
  trustedIssuer,
  typIsJwt,
} from './jwt-checks.js';

const ehr: EhrConfig = {
  issuer: 'https://ehr.example',
  jwksUrl: 'https://ehr.example/jwks.json',
  algorithms: ['ES384', 'RS384'],
  fhirServers: [],
};
const NOW = Date.parse('2026-11-23T10:00:00Z');
const S = NOW / 1000;
const AUD = 'https://cds.example/cds-services/med';

describe('trustedIssuer', () => {
  it('returns the allow-listed entry for an exact iss', () => {
    expect(trustedIssuer('https://ehr.example', [ehr])).toBe(ehr);
  });
  it('N7 refuses unknown, case-variant, slash-variant and non-string iss', () => {
    for (const iss of ['https://evil.example', 'https://EHR.example', 'https://ehr.example/', undefined, 42]) {
      expect(trustedIssuer(iss, [ehr])).toBeUndefined();
    }
  });
});

describe('algorithmAllowed', () => {
  it('accepts the issuer algorithms', () => {
    expect(algorithmAllowed('ES384', ehr)).toBe(true);
    expect(algorithmAllowed('RS384', ehr)).toBe(true);
  });
  it('N3 refuses none and HS* even when configured', () => {
    const bad = { algorithms: ['none', 'HS256', 'ES384'] } as unknown as EhrConfig;
    for (const alg of ['none', 'NONE', 'HS256', 'HS384', 'hs512']) expect(algorithmAllowed(alg, bad)).toBe(false);
  });
  it('refuses algorithms the issuer did not list, and a missing alg', () => {
    expect(algorithmAllowed('ES256', ehr)).toBe(false);
    expect(algorithmAllowed('RS384', { algorithms: ['ES384'] })).toBe(false);
    expect(algorithmAllowed(undefined, ehr)).toBe(false);
  });
  it('defaults to ES384 and RS384 when the issuer lists none', () => {
    const none = { algorithms: [] } as unknown as EhrConfig;
    expect(algorithmAllowed('ES384', none)).toBe(true);
    expect(algorithmAllowed('RS384', none)).toBe(true);
    expect(algorithmAllowed('PS256', none)).toBe(false);
  });
});

describe('noCriticalExtensions', () => {
  it('RFC 7515 §4.1.11: no extension is understood, so any crit, well-formed or not, is refused', () => {
    expect(noCriticalExtensions(undefined)).toBe(true);
    for (const crit of [['exp'], ['http://example.com/ext'], [], 'b64', null, [1]]) expect(noCriticalExtensions(crit)).toBe(false);
  });
});

describe('typIsJwt', () => {
  it('accepts only JWT', () => {
    expect(typIsJwt('JWT')).toBe(true);
    for (const typ of ['jwt', 'at+jwt', undefined]) expect(typIsJwt(typ)).toBe(false);
  });
});

describe('kidPresent', () => {
  it('requires a non-empty string', () => {
    expect(kidPresent('k1')).toBe(true);
    for (const kid of ['', undefined, 7]) expect(kidPresent(kid)).toBe(false);
  });
});

describe('jkuAllowed', () => {
  it('accepts an absent jku and exactly the configured jwksUrl', () => {
    expect(jkuAllowed(undefined, ehr)).toBe(true);
    expect(jkuAllowed('https://ehr.example/jwks.json', ehr)).toBe(true);
  });
  it('N7 refuses any other jku, and any jku when the issuer has no jwksUrl', () => {
    expect(jkuAllowed('https://evil.example/jwks.json', ehr)).toBe(false);
    expect(jkuAllowed('https://ehr.example/jwks.json?x=1', ehr)).toBe(false);
    expect(jkuAllowed('https://ehr.example/jwks.json', {})).toBe(false);
    expect(jkuAllowed(null, ehr)).toBe(false);
  });
});

describe('expectedAudience', () => {
  it('joins the public URL and the request path without the query', () => {
    expect(expectedAudience('https://cds.example', '/cds-services/med?x=1')).toBe(AUD);
    expect(expectedAudience('https://cds.example/', '/cds-services')).toBe('https://cds.example/cds-services');
  });
});

describe('audienceMatches', () => {
  it('accepts the exact URL as string or in an array', () => {
    expect(audienceMatches(AUD, AUD)).toBe(true);
    expect(audienceMatches(['https://other', AUD], AUD)).toBe(true);
  });
  it('N4 refuses another service, discovery, trailing slash, case variants and missing aud', () => {
    for (const aud of [
      'https://cds.example/cds-services/other',
      'https://cds.example/cds-services',
      `${AUD}/`,
      AUD.toUpperCase(),
      [],
      undefined,
      [`${AUD}/`],
    ]) {
      expect(audienceMatches(aud, AUD)).toBe(false);
    }
  });
});

describe('notExpired', () => {
  it('N5 allows 60 s of leeway and no more', () => {
    expect(notExpired(S + 10, NOW)).toBe(true);
    expect(notExpired(S - 60, NOW)).toBe(true);
    expect(notExpired(S - 61, NOW)).toBe(false);
  });
  it('requires a numeric exp', () => {
    expect(notExpired(undefined, NOW)).toBe(false);
    expect(notExpired(String(S + 10), NOW)).toBe(false);
  });
});

describe('lifetimeWithinLimit', () => {
  it('allows exp − iat up to 300 s plus leeway', () => {
    expect(lifetimeWithinLimit(S, S + 300)).toBe(true);
    expect(lifetimeWithinLimit(S, S + 360)).toBe(true);
    expect(lifetimeWithinLimit(S, S + 361)).toBe(false);
  });
  it('requires iat', () => {
    expect(lifetimeWithinLimit(undefined, S + 300)).toBe(false);
  });
});

describe('issuedAtNotInFuture', () => {
  it('refuses iat beyond the leeway in the future', () => {
    expect(issuedAtNotInFuture(S + 60, NOW)).toBe(true);
    expect(issuedAtNotInFuture(S + 61, NOW)).toBe(false);
    expect(issuedAtNotInFuture(undefined, NOW)).toBe(false);
  });
});

describe('jtiPresent', () => {
  it('N6 requires a non-empty, bounded string', () => {
    expect(jtiPresent('a')).toBe(true);
    for (const jti of ['', undefined, 1, 'x'.repeat(256)]) expect(jtiPresent(jti)).toBe(false);
  });
  it('refuses a jti the store cannot hold: a NUL or an unpaired surrogate', () => {
    for (const jti of ['a\u0000', '\ud800x', 'x\udc00']) expect(jtiPresent(jti)).toBe(false);
  });
});

describe('tenantAllowed', () => {
  it('accepts any string or none when the issuer lists no tenants', () => {
    expect(tenantAllowed(undefined, ehr)).toBe(true);
    expect(tenantAllowed('t', ehr)).toBe(true);
    expect(tenantAllowed(5, ehr)).toBe(false);
    expect(tenantAllowed('t\u0000', ehr)).toBe(false);
  });
  it('requires a listed tenant when the issuer lists tenants', () => {
    const t = { tenants: ['a'] };
    expect(tenantAllowed('a', t)).toBe(true);
    expect(tenantAllowed('b', t)).toBe(false);
    expect(tenantAllowed(undefined, t)).toBe(false);
  });
});

describe('checkUnverifiedJwt', () => {
  const header = { alg: 'ES384', typ: 'JWT', kid: 'k1' };
  const claims = { iss: ehr.issuer, aud: AUD, iat: S, exp: S + 300, jti: 'j1' };
  const ctx = { ehrs: [ehr], audience: AUD, now: NOW };

  it('passes a sound token and returns its EHR', () => {
    expect(checkUnverifiedJwt(header, claims, ctx)).toEqual({ ok: true, ehr });
  });
  it('checks the issuer before anything else, so a foreign jku is never looked at', () => {
    const result = checkUnverifiedJwt({ alg: 'none', jku: 'https://evil' }, { ...claims, iss: 'https://evil' }, ctx);
    expect(result).toEqual({ ok: false, check: 'issuer' });
  });
  it('names the first failed check', () => {
    expect(checkUnverifiedJwt({ ...header, alg: 'HS256' }, claims, ctx)).toEqual({ ok: false, check: 'algorithm' });
    expect(checkUnverifiedJwt({ ...header, typ: undefined }, claims, ctx)).toEqual({ ok: false, check: 'typ' });
    expect(checkUnverifiedJwt({ ...header, crit: ['x-ext'] }, claims, ctx)).toEqual({ ok: false, check: 'crit' });
    expect(checkUnverifiedJwt({ ...header, kid: undefined }, claims, ctx)).toEqual({ ok: false, check: 'kid' });
    expect(checkUnverifiedJwt({ ...header, jku: 'https://evil' }, claims, ctx)).toEqual({ ok: false, check: 'jku' });
    expect(checkUnverifiedJwt(header, { ...claims, aud: `${AUD}/` }, ctx)).toEqual({ ok: false, check: 'audience' });
    expect(checkUnverifiedJwt(header, { ...claims, exp: S - 61 }, ctx)).toEqual({ ok: false, check: 'expiry' });
    expect(checkUnverifiedJwt(header, { ...claims, iat: S - 400 }, ctx)).toEqual({ ok: false, check: 'lifetime' });
    expect(checkUnverifiedJwt(header, { ...claims, iat: S + 100 }, ctx)).toEqual({ ok: false, check: 'issued-at' });
    expect(checkUnverifiedJwt(header, { ...claims, jti: undefined }, ctx)).toEqual({ ok: false, check: 'jti' });
    const tenanted = { ...ctx, ehrs: [{ ...ehr, tenants: ['a'] }] };
    expect(checkUnverifiedJwt(header, claims, tenanted)).toEqual({ ok: false, check: 'tenant' });
  });
});
