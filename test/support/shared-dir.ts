import { resolve } from 'node:path';

/**
 * The team's shared folder (domain documents, real-world data written by others) sits beside the project's
 * checkout, in a developer's work tree and in CI's clean clone alike.
 */
export const SHARED_DIR = resolve(import.meta.dirname, '..', '..', '..', 'shared');
export const REALWORLD_DIR = resolve(SHARED_DIR, 'realworld');
