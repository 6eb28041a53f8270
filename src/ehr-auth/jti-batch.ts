/** One single-use check waiting for its batch: a jti of an issuer, kept until `expiresAt`. */
export interface JtiClaim {
  issuer: string;
  jti: string;
  expiresAt: Date;
}

const keyOf = (c: Pick<JtiClaim, 'issuer' | 'jti'>): string => JSON.stringify([c.issuer, c.jti]);

/** The claims of a batch to insert: each (issuer, jti) once, so one statement can hold them all. */
export function distinctClaims(batch: readonly JtiClaim[]): JtiClaim[] {
  return [...new Map(batch.map((c) => [keyOf(c), c])).values()];
}

/**
 * Which claims of a batch were first (best practices "JWT" step 6: a jti is accepted once): a claim
 * wins when the insert created its row, and only its first occurrence in the batch does, so the same
 * jti twice in one batch is accepted once, like twice in two batches.
 */
export function claimWinners(batch: readonly JtiClaim[], inserted: readonly Pick<JtiClaim, 'issuer' | 'jti'>[]): boolean[] {
  const fresh = new Set(inserted.map(keyOf));
  return batch.map((c) => fresh.delete(keyOf(c)));
}
