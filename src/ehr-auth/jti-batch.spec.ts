import { claimWinners, distinctClaims, type JtiClaim } from './jti-batch.js';

const at = new Date('2026-11-23T10:05:00Z');
const claim = (issuer: string, jti: string): JtiClaim => ({ issuer, jti, expiresAt: at });

describe('jti batches (best practices "JWT" step 6)', () => {
  it('inserts each (issuer, jti) of a batch once', () => {
    expect(distinctClaims([claim('a', '1'), claim('a', '1'), claim('b', '1')])).toEqual([claim('a', '1'), claim('b', '1')]);
  });

  it('N6 accepts the first of a jti sent twice in one batch, and refuses the second', () => {
    expect(claimWinners([claim('a', '1'), claim('a', '1')], [{ issuer: 'a', jti: '1' }])).toEqual([true, false]);
  });

  it('N6 refuses every claim whose row existed before the batch', () => {
    expect(claimWinners([claim('a', '1'), claim('a', '2')], [{ issuer: 'a', jti: '2' }])).toEqual([false, true]);
  });

  it('keeps issuers apart, and a jti that looks like a joined pair cannot collide', () => {
    expect(claimWinners([claim('a', '1'), claim('b', '1'), claim('a","1', '')], [{ issuer: 'b', jti: '1' }])).toEqual([false, true, false]);
  });
});
