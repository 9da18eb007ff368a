import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { CDS_SERVICES, prefetchOf, scoreCodesOf } from '../../src/cds/services.js';
import { SHIPPED_DEFINITIONS } from '../../src/fhir/definitions/shipped.js';

/** Prefetch templates come from the active definitions' instruments, built once per definitions and service. */
const ROOT = new URL('../../', import.meta.url).pathname;
const withKneeHip = loadConfig({ NODE_ENV: 'test', CDS_CONFIG: 'test/fixtures/courses/knee-hip-example.config.json' }, ROOT).course.definitions;

describe('prefetchOf', () => {
  const [service] = CDS_SERVICES;

  it('asks for every active instrument\'s score codes, a new instrument\'s too', () => {
    const shipped = Object.values(prefetchOf(service!, SHIPPED_DEFINITIONS)).join(' ');
    const added = Object.values(prefetchOf(service!, withKneeHip)).join(' ');
    expect(shipped).toContain(scoreCodesOf(SHIPPED_DEFINITIONS));
    expect(shipped).not.toContain('koos-example');
    expect(added).toContain('koos-example');
    expect(added).toContain(scoreCodesOf(withKneeHip));
  });

  it('builds a service\'s templates once per definitions, and never hands out a record one caller could change', () => {
    const first = prefetchOf(service!, SHIPPED_DEFINITIONS);
    expect(prefetchOf(service!, SHIPPED_DEFINITIONS)).toBe(first);
    expect(prefetchOf(service!, withKneeHip)).not.toBe(first);
    expect(prefetchOf(CDS_SERVICES[1]!, SHIPPED_DEFINITIONS)).not.toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });
});
