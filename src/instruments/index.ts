export * from './change.js';
export * from './codes.js';
export * from './errors.js';
export * from './link-ids.js';
export * from './nprs.js';
export * from './odi.js';
export * from './psfs.js';
export * from './texts.js';
