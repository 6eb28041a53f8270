import type { ServiceDefinition } from '../src/cds/cds-types.js';
import { medicationSafetyServices } from './medication-safety/service.js';

/** The CDS services this host serves: an explicit list, no directory scanning. */
export const services: ServiceDefinition[] = [...medicationSafetyServices];
