import { fileURLToPath } from 'node:url';

/** fhir-resources/ of this checkout: the shipped course definitions (the three low-back-pain courses). */
export const SHIPPED_DEFINITIONS_DIR = fileURLToPath(new URL('../../../fhir-resources/', import.meta.url));
