const RELATIVE = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;
const ABSOLUTE = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;

/** FHIR id syntax (R4 datatypes §id); anything else (e.g. `Group/x`, `Patient/`) is no usable context (E28). */
export function isFhirId(id: unknown): id is string {
  return typeof id === 'string' && /^[A-Za-z0-9\-.]{1,64}$/.test(id);
}

/**
 * `Type/id` of a literal reference, dropping `/_history/n` (E5); absolute references count only when they
 * are on `fhirBase` (E6: the same path on another server is another resource). Undefined otherwise
 * (contained `#x`, `urn:`, logical-only references, other servers).
 */
export function localReference(reference: unknown, fhirBase?: string): string | undefined {
  if (typeof reference !== 'string') return undefined;
  let path = reference;
  if (ABSOLUTE.test(reference)) {
    const base = fhirBase?.replace(/\/+$/, '');
    if (!base || !reference.startsWith(`${base}/`)) return undefined;
    path = reference.slice(base.length + 1);
  }
  const m = RELATIVE.exec(path);
  return m ? `${m[1]}/${m[2]}` : undefined;
}
