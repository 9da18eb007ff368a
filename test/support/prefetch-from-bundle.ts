/** Moved to src/demo/ (the CDS Hooks examples are built from it too); kept here for the tests that import it. */
export { prefetchFromBundle } from '../../src/demo/prefetch-from-bundle.js';
