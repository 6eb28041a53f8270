import { randomBytes } from 'node:crypto';
import { signToken, verifyToken, type SignedClaims } from './url-signer.js';

const secret = randomBytes(32);
const now = 1_800_000_000;
const claims: SignedClaims = { s: 'svc', h: '2d6f0c0e-5b8e-4d7b-9a52-1c2b3d4e5f60', c: 'card-1', l: 'link-1', a: 'medication-review', exp: now + 60 };

describe(verifyToken.name, () => {
  it('accepts an untampered token before expiry and returns its claims', () => {
    expect(verifyToken(secret, 'link', signToken(secret, 'link', claims), now)).toEqual({ ok: true, claims });
  });

  it('refuses it from the expiry second on', () => {
    const token = signToken(secret, 'link', claims);
    expect(verifyToken(secret, 'link', token, now + 59).ok).toBe(true);
    expect(verifyToken(secret, 'link', token, now + 60)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses every single-byte change anywhere in the token', () => {
    const token = signToken(secret, 'link', claims);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let i = 0; i < token.length; i++) {
      if (token[i] === '.') continue;
      const replacement = alphabet[(alphabet.indexOf(token[i] as string) + 1) % alphabet.length];
      const tampered = token.slice(0, i) + replacement + token.slice(i + 1);
      expect(verifyToken(secret, 'link', tampered, now)).toEqual({ ok: false, reason: expect.stringMatching(/^(bad-signature|malformed)$/) });
    }
  });

  it('refuses a token of the other kind, another key, or garbage', () => {
    const token = signToken(secret, 'link', claims);
    expect(verifyToken(secret, 'feedback', token, now)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyToken(randomBytes(32), 'link', token, now)).toEqual({ ok: false, reason: 'bad-signature' });
    for (const garbage of ['', '.', 'abc', 'a.b.c', 'a b.c', `${token}.x`]) {
      expect(verifyToken(secret, 'link', garbage, now)).toEqual({ ok: false, reason: expect.stringMatching(/malformed|bad-signature/) });
    }
  });

  it('refuses a correctly signed payload that is not a claims object', () => {
    const payload = Buffer.from(JSON.stringify({ s: 1 })).toString('base64url');
    const forged = signToken(secret, 'link', claims).replace(/^[^.]+/, payload);
    expect(verifyToken(secret, 'link', forged, now).ok).toBe(false);
  });
});
