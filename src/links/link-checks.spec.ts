import { isLinkUser, isWithinLaunchBudget } from './link-checks.js';

describe('card-link launch checks', () => {
  it('only the user the hook named may launch: the same reference, not another, not a look-alike', () => {
    expect(isLinkUser('Practitioner/example-prescriber', 'Practitioner/example-prescriber')).toBe(true);
    expect(isLinkUser('Practitioner/example-prescriber', 'Practitioner/other')).toBe(false);
    expect(isLinkUser('Practitioner/example-prescriber', 'practitioner/example-prescriber')).toBe(false);
    expect(isLinkUser('Practitioner/example-prescriber', 'Practitioner/example-prescriber2')).toBe(false);
  });

  it('the maxLaunches-th launch is allowed, the next is not', () => {
    expect(isWithinLaunchBudget(1, 5)).toBe(true);
    expect(isWithinLaunchBudget(5, 5)).toBe(true);
    expect(isWithinLaunchBudget(6, 5)).toBe(false);
  });
});
