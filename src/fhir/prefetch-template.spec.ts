import { PrefetchTemplateError } from './prefetch-errors.js';
import { parsePrefetchTemplate, prefetchTokenValues, renderPrefetchTemplate } from './prefetch-template.js';

// CDS Hooks 2.0 §Prefetch tokens and §Prefetch query restrictions (cds-hooks.md §1.4).
const problem = (template: string) => {
  try {
    parsePrefetchTemplate(template);
    return undefined;
  } catch (e) {
    return e instanceof PrefetchTemplateError ? e.message : `unexpected ${String(e)}`;
  }
};

describe('parsePrefetchTemplate', () => {
  it('accepts instance reads and type searches with allowed tokens and params', () => {
    const templates = [
      'Patient/{{context.patientId}}',
      '{{context.userId}}',
      'Practitioner/{{userPractitionerId}}',
      'Encounter/{{context.encounterId}}',
      'MedicationRequest?patient={{context.patientId}}&status=active&_count=50',
      'Observation?patient={{context.patientId}}&code=http://loinc.org|4548-4&_count=1&_sort=-date',
      'Observation?subject=Patient/{{context.patientId}}&date=ge2024-01-01&date=lt2025-01-01T00:00:00Z',
      'Condition?patient={{ context.patientId }}&code:in=http://example.org/ValueSet/diabetes',
      'Observation?patient={{context.patientId}}&_id=1,2',
    ];
    expect(templates.map((t) => [t, problem(t)])).toEqual(templates.map((t) => [t, undefined]));
    expect(parsePrefetchTemplate('Coverage?patient={{context.patientId}}&payor={{userPractitionerId}}').tokens).toEqual(['context.patientId', 'userPractitionerId']);
  });

  it('rejects tokens CDS Hooks 2.0 does not define', () => {
    expect(problem('MedicationRequest/{{context.medication.id}}')).toMatch(/unsupported token/);
    expect(problem('Patient/{{context.selections}}')).toMatch(/unsupported token/);
    expect(problem("Observation?patient={{context.patientId}}&date=ge{{today() - 90 days}}")).toMatch(/unsupported token/);
    expect(problem('Patient/{{context.patientId}')).toMatch(/unbalanced/);
  });

  it('rejects what the query restrictions exclude', () => {
    expect(problem('Observation?patient={{context.patientId}}&sort:desc=date')).toMatch(/no reference, token or date search parameter "sort"/);
    expect(problem('Patient?name=smith')).toMatch(/no reference, token or date search parameter "name"/);
    expect(problem('Observation?code:text=x')).toMatch(/allows only :in/);
    expect(problem('Observation?subject.name=x')).toMatch(/subject\.name/);
    expect(problem('Observation?patient:Patient=1')).toMatch(/takes no modifier/);
    expect(problem('Observation?date=sa2024-01-01')).toMatch(/eq\/lt\/gt\/ge\/le/);
    expect(problem('Observation?_include=Observation:subject')).toMatch(/_include/);
    expect(problem('Observation?_count=all')).toMatch(/_count/);
    expect(problem('Patient/{{context.patientId}}/_history')).toMatch(/instance read/);
    expect(problem('Patient/{{context.patientId}}?_elements=id')).toMatch(/no query/);
    expect(problem('/Patient/1')).toMatch(/resource type/);
    expect(problem('https://evil.example/Patient/1')).toMatch(/resource type/);
    expect(problem('observation?patient=1')).toMatch(/resource type/);
    expect(problem('Observation?patient={{context.patientId}}&_has:Observation:patient:code=1')).toMatch(/_has/);
  });
});

describe('renderPrefetchTemplate', () => {
  const values = prefetchTokenValues({ userId: 'Practitioner/example', patientId: '123', encounterId: 'e1' });

  it('derives user tokens from context.userId', () => {
    expect(values).toEqual({ 'context.userId': 'Practitioner/example', 'context.patientId': '123', 'context.encounterId': 'e1', userPractitionerId: 'example' });
    expect(prefetchTokenValues({ userId: 'PractitionerRole/r1' })).toEqual({ 'context.userId': 'PractitionerRole/r1', userPractitionerRoleId: 'r1' });
    expect(prefetchTokenValues({ userId: 'Patient/p1' }).userPatientId).toBe('p1');
    expect(prefetchTokenValues({ userId: 'RelatedPerson/x' }).userRelatedPersonId).toBe('x');
  });

  it('substitutes tokens and reports what is asked for', () => {
    expect(renderPrefetchTemplate(parsePrefetchTemplate('MedicationRequest?patient={{context.patientId}}&status=active'), values)).toEqual({
      url: 'MedicationRequest?patient=123&status=active',
      resourceType: 'MedicationRequest',
      interaction: 'search',
    });
    expect(renderPrefetchTemplate(parsePrefetchTemplate('{{context.userId}}'), values)).toEqual({ url: 'Practitioner/example', resourceType: 'Practitioner', interaction: 'read' });
  });

  it('does not execute a template whose token has no value (unlike the sandbox)', () => {
    expect(renderPrefetchTemplate(parsePrefetchTemplate('Patient/{{userPatientId}}'), values)).toBeUndefined();
    expect(renderPrefetchTemplate(parsePrefetchTemplate('Encounter/{{context.encounterId}}'), prefetchTokenValues({ patientId: '1' }))).toBeUndefined();
  });

  it('never lets a context value inject parameters or paths', () => {
    const hostile = prefetchTokenValues({ patientId: '123&_include=*', userId: 'Practitioner/1/../../x', encounterId: '' });
    expect(hostile).toEqual({});
    expect(renderPrefetchTemplate(parsePrefetchTemplate('Observation?patient={{context.patientId}}'), hostile)).toBeUndefined();
  });
});
