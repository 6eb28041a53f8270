import { readFileSync } from 'node:fs';
import { demoUsers } from '../src/config/demo.js';
import { verifyPassword } from '../src/smart/passwords.js';
import { listScenarios } from './ehr/ehr-client.js';

// The demo lines up for the step-up override (DESIGN.md flow 5): the hook user of every scenario the demo
// EHR (`npm run ehr`) sends is dr.demo, so the re-authentication page asks for dr.demo's password, which is
// the demo password.
describe('demo: dr.demo is the hook user of every demo scenario and can re-authenticate', () => {
  const drDemo = demoUsers().find((u) => u.username === 'dr.demo')!;

  it('every scenario names dr.demo’s fhirUser as context.userId', () => {
    const scenarios = [...listScenarios().entries()];
    expect(scenarios.length).toBeGreaterThan(10);
    const users = scenarios.map(([name, file]) => [name, (JSON.parse(readFileSync(file, 'utf8')) as { context: { userId: string } }).context.userId]);
    expect(users.filter(([, user]) => user !== drDemo.fhirUser)).toEqual([]);
  });

  it('dr.demo re-authenticates with the demo password', async () => {
    expect(drDemo.fhirUser).toBe('Practitioner/demo-practitioner');
    expect(await verifyPassword('demo', drDemo.passwordHash)).toBe(true);
  });
});
