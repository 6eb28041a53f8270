/** Injection token for the ServiceDefinition[] this host serves; defaults to `services` from hooks/index.ts. */
export const CDS_SERVICES = Symbol('CDS_SERVICES');
