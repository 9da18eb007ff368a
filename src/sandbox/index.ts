/** The embedded FHIR R4 server: public API. */
export { createFhirServer, FHIR_JSON } from './fhir-server.js';
export type { FhirAccessLog, FhirServer, FhirServerOptions, FhirServerStats } from './fhir-server.js';
export { startFhirServer } from './start-fhir-server.js';
export type { RunningFhirServer, StartFhirServerOptions } from './start-fhir-server.js';
export { BundleLoadError, parseNdjson } from './bundle-loader.js';
export type { LoadResult } from './bundle-loader.js';
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './search-query.js';
