/**
 * CDS Hooks §Hook context `userId` names who the card was shown to; SMART app-launch.md `fhirUser` names
 * who signed in. A card's launch carries the first as the user, so only the second being the first may
 * mint it. Compared exactly: both are relative references of this deployment.
 */
export function isLinkUser(linkUserId: string, signedInFhirUser: string): boolean {
  return linkUserId === signedInFhirUser;
}

/** A link mints at most `maxLaunches` launches in its lifetime; `count` includes the one now asked for. */
export function isWithinLaunchBudget(count: number, maxLaunches: number): boolean {
  return count <= maxLaunches;
}
