/**
 * StructureDefinition of our one extension (course-limit), so that the limits carried as data on PlanDefinition
 * actions are themselves defined in FHIR and a validator can resolve the extension URL.
 */
import type { ElementDefinition, StructureDefinition } from 'fhir/r4.js';
import { commonMetadata, COURSE_LIMIT_EXTENSION } from './common.js';

const PARTS = [
  { name: 'max', type: 'integer', short: 'Højst så mange pr. forløb (eller pr. vindue, når window er angivet)' },
  { name: 'window', type: 'Duration', short: 'Vinduet, grænsen tælles inden for' },
  { name: 'anchor', type: 'code', short: 'Hvorfra vinduet regnes: entry (forløbets indgang)' },
  { name: 'maxPerIsoWeek', type: 'integer', short: 'Højst så mange pr. ISO-uge (lokal tid, Europe/Copenhagen)' },
  { name: 'tolerance', type: 'Duration', short: 'Hvor langt en opfølgning må ligge fra sin måldato' },
] as const;

function part(p: (typeof PARTS)[number]): ElementDefinition[] {
  const id = `Extension.extension:${p.name}`;
  return [
    { id, path: 'Extension.extension', sliceName: p.name, short: p.short, min: 0, max: '1' },
    { id: `${id}.extension`, path: 'Extension.extension.extension', max: '0' },
    { id: `${id}.url`, path: 'Extension.extension.url', fixedUri: p.name },
    { id: `${id}.value[x]`, path: 'Extension.extension.value[x]', min: 1, type: [{ code: p.type }] },
  ];
}

export function extensionDefinitions(): StructureDefinition[] {
  return [
    {
      resourceType: 'StructureDefinition',
      id: 'course-limit',
      language: 'da',
      url: COURSE_LIMIT_EXTENSION,
      ...commonMetadata,
      name: 'CourseLimit',
      title: 'Grænse for en handling i et struktureret forløb',
      description:
        'Standardværdien af en regels grænse for en handling i en PlanDefinition (fx 0266 højst 6 inden for 3 måneder ' +
        'fra indgangen). Værdierne er standarder; tjenesten kan konfigureres med andre.',
      // No fhirVersion: the official R4 JSON Schema's enum stops at 4.0.0 and would reject 4.0.1.
      kind: 'complex-type',
      abstract: false,
      context: [{ type: 'element', expression: 'PlanDefinition.action' }],
      type: 'Extension',
      baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Extension',
      derivation: 'constraint',
      differential: {
        element: [
          { id: 'Extension', path: 'Extension', short: 'Grænse for en handling', min: 0, max: '1' },
          { id: 'Extension.extension', path: 'Extension.extension', slicing: { discriminator: [{ type: 'value', path: 'url' }], rules: 'closed' }, min: 1 },
          ...PARTS.flatMap(part),
          { id: 'Extension.url', path: 'Extension.url', fixedUri: COURSE_LIMIT_EXTENSION },
          { id: 'Extension.value[x]', path: 'Extension.value[x]', max: '0' },
        ],
      },
    },
  ];
}
