import { readFileSync } from 'node:fs';
import { JWT_TROUBLESHOOTING, troubleshootingTable } from './jwt-troubleshooting.js';

describe('EHR JWT troubleshooting table', () => {
  it('has a cause and a fix for every logged check', () => {
    const thin = Object.entries(JWT_TROUBLESHOOTING).filter(([, row]) => row.cause.length < 10 || row.fix.length < 10);
    expect(thin).toEqual([]);
    expect(troubleshootingTable().split('\n')).toHaveLength(Object.keys(JWT_TROUBLESHOOTING).length + 2);
  });

  it('is in the README exactly as the server prints it at start', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(troubleshootingTable());
  });
});
