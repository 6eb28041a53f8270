// A tiny evaluator for the only FHIRPath shapes the vendored SearchParameter map contains
// (data/generate-fhir-data.mjs enforces this): `T.a.b`, `T.a.where(resolve() is Patient)`,
// `T.a.ofType(X)`, joined with `|`.

interface CompiledPath {
  readonly segments: readonly string[];
  /** `.where(resolve() is Patient)`: keep only references whose type segment is Patient. */
  readonly patientOnly: boolean;
}

const cache = new Map<string, CompiledPath[]>();

function compile(expression: string): CompiledPath[] {
  const hit = cache.get(expression);
  if (hit) return hit;
  const compiled = expression.split(/\s*\|\s*/).map((part) => {
    const patientOnly = part.endsWith('.where(resolve() is Patient)');
    const body = patientOnly ? part.slice(0, -'.where(resolve() is Patient)'.length) : part;
    // `medication.ofType(CodeableConcept)` is stored in JSON as `medicationCodeableConcept`.
    const ofType = /^(.*)\.ofType\(([A-Za-z]+)\)$/.exec(body);
    const segments = (ofType ? ofType[1] : body).split('.').slice(1);
    if (ofType) segments[segments.length - 1] += ofType[2];
    return { segments, patientOnly };
  });
  cache.set(expression, compiled);
  return compiled;
}

function children(values: readonly unknown[], name: string): unknown[] {
  const out: unknown[] = [];
  for (const value of values) {
    if (value === null || typeof value !== 'object') continue;
    const child = (value as Record<string, unknown>)[name];
    if (Array.isArray(child)) out.push(...child);
    else if (child !== undefined && child !== null) out.push(child);
  }
  return out;
}

function isPatientReference(value: unknown): boolean {
  const ref = (value as { reference?: unknown } | null)?.reference;
  return typeof ref === 'string' && /(?:^|\/)Patient\/[^/]+(?:\/_history\/[^/]+)?$/.test(ref);
}

/** The flattened collection an expression from the vendored map selects in `resource`. */
export function evaluatePath(resource: unknown, expression: string): unknown[] {
  const out: unknown[] = [];
  for (const path of compile(expression)) {
    let values: unknown[] = [resource];
    for (const segment of path.segments) values = children(values, segment);
    out.push(...(path.patientOnly ? values.filter(isPatientReference) : values));
  }
  return out;
}
