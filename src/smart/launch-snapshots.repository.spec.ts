import { latestPerHookInstance } from './launch-snapshots.repository.js';

describe('launch snapshot batches', () => {
  it('keeps one row per hookInstance, the latest call’s, as two statements in a row would', () => {
    const at = new Date('2026-11-23T10:00:00Z');
    const row = (h: string, id: string) => ({ hook_instance: h, resources: [{ resourceType: 'Patient', id }], created_at: at });
    expect(latestPerHookInstance([row('h1', 'a'), row('h2', 'b'), row('h1', 'c')])).toEqual([row('h1', 'c'), row('h2', 'b')]);
  });
});
