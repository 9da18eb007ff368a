import type { EpisodeOfCare } from 'fhir/r4.js';
import { describe, expect, it } from 'vitest';
import { CodeSystemUrl } from '../../src/canonical.js';
import { CONSULTATION_CODES } from '../support/shipped-codes.js';
import { LOADED, encountersInOrder, ofType } from './demo-bundles.js';

/** The offset Intl gives for Europe/Copenhagen at an instant, as '+01:00' / '+02:00'. */
function intlOffset(instant: string): string {
  const name = new Intl.DateTimeFormat('en', { timeZone: 'Europe/Copenhagen', timeZoneName: 'longOffset' })
    .formatToParts(new Date(instant))
    .find((p) => p.type === 'timeZoneName')?.value;
  return (name ?? '').replace('GMT', '');
}

function localParts(instant: string): { date: string; weekday: string } {
  const date = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen' }).format(new Date(instant));
  const weekday = new Intl.DateTimeFormat('en', { timeZone: 'Europe/Copenhagen', weekday: 'short' }).format(new Date(instant));
  return { date, weekday };
}

describe.each(LOADED.map((l) => [l.demo.key, l] as const))('the Encounters of %s', (_, { demo, resources }) => {
  const encounters = encountersInOrder(resources);

  it('each carry exactly one consultation code, class AMB and the patient', () => {
    for (const e of encounters) {
      const codes = (e.type ?? []).flatMap((t) => t.coding ?? []).filter((c) => c.system === CodeSystemUrl.consultation);
      expect(codes).toHaveLength(1);
      expect(CONSULTATION_CODES).toContain(codes[0]?.code);
      expect(e.class).toMatchObject({ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' });
      expect(e.subject?.reference).toBe(`Patient/${demo.patientId}`);
    }
  });

  it('start and end with the Copenhagen offset in force on their date, on a weekday', () => {
    for (const e of encounters) {
      for (const instant of [e.period?.start, e.period?.end].filter((v): v is string => v !== undefined)) {
        expect(instant).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\+0[12]:00$/);
        expect(instant.slice(-6), instant).toBe(intlOffset(instant));
        expect(localParts(instant).date).toBe(instant.slice(0, 10));
        expect(['Sat', 'Sun']).not.toContain(localParts(instant).weekday);
      }
    }
  });

  it('are finished with an end, except the current one, which has arrived and has none', () => {
    for (const e of encounters) {
      if (e.id === demo.currentEncounterId) {
        expect(e.status).toBe('arrived');
        expect(e.period?.end).toBeUndefined();
      } else {
        expect(e.status).toBe('finished');
        expect(Date.parse(e.period?.end ?? '')).toBeGreaterThan(Date.parse(e.period?.start ?? ''));
      }
    }
  });

  it('are exactly the catalogue\'s encounterIds, in start order', () => {
    expect(encounters.map((e) => e.id)).toEqual(demo.encounterIds);
  });

  it('reference the patient\'s EpisodeOfCare when there is one', () => {
    const episodes = new Set(ofType<EpisodeOfCare>(resources, 'EpisodeOfCare').map((ep) => `EpisodeOfCare/${ep.id ?? ''}`));
    for (const e of encounters) {
      const refs = (e.episodeOfCare ?? []).map((r) => r.reference);
      if (episodes.size === 0) expect(refs).toEqual([]);
      else expect(refs.length === 1 && episodes.has(refs[0] ?? '')).toBe(true);
    }
  });
});

describe('the current Encounters', () => {
  it('are the last Encounter of every edge-case patient', () => {
    const edges = LOADED.filter((l) => l.demo.key.startsWith('edge-'));
    expect(edges).toHaveLength(12);
    for (const { demo } of edges) {
      expect(demo.currentEncounterId).toBe(demo.encounterIds[demo.encounterIds.length - 1]);
      expect(demo.encounterIds.length).toBeGreaterThanOrEqual(3);
      expect(demo.encounterIds.length).toBeLessThanOrEqual(10);
    }
  });

  it('put the main demo\'s current 0266 on 2026-11-25 at 10:00 local time', () => {
    const mid = LOADED.find((l) => l.demo.key === 'course-2-mid-course');
    const current = mid && encountersInOrder(mid.resources).find((e) => e.id === mid.demo.currentEncounterId);
    expect(current?.period?.start).toBe('2026-11-25T10:00:00+01:00');
    expect(current?.type?.[0]?.coding?.[0]?.code).toBe('0266');
  });
});
