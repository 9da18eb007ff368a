/**
 * Everything development mode adds beside the CDS service, in one place: the embedded FHIR server with the demo
 * patients and our conformance resources (the app reads the Questionnaires from it), the SMART authorization server
 * on it, the EHR simulator's signing identity, and the pages (simulator at `/`). Never built in production mode.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Router } from 'express';
import type { Bundle, Patient, Resource } from 'fhir/r4.js';
import type { TrustedIssuer } from '../config.js';
import { createFhirServer, type FhirServer } from './fhir-server.js';
import { createSmartAuthServer, type SmartAuthServer } from './smart/auth-server.js';
import type { PatientChoice } from './smart/authorize-page.js';
import { createSimulatorIdentity, type SimulatorIdentity } from './simulator/identity.js';
import { createSimulatorRouter } from './simulator/router.js';

export interface DevelopmentSandbox {
  readonly fhir: FhirServer;
  readonly smart: SmartAuthServer;
  readonly simulator: SimulatorIdentity;
  /** Trusted as a CDS client in development: the simulator's hook calls are signed with its key. */
  readonly simulatorIssuer: TrustedIssuer;
  /** The EHR simulator page and its small API, mounted at the root. */
  readonly pages: Router;
}

/** The conformance resources the app and clients read from the FHIR server (not the terminology). */
const SERVED_CONFORMANCE = /^(Questionnaire|PlanDefinition|ActivityDefinition)-.*\.json$/;

export function conformanceResources(projectRoot: string): Resource[] {
  const dir = join(projectRoot, 'fhir-resources');
  return readdirSync(dir)
    .filter((f) => SERVED_CONFORMANCE.test(f))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Resource);
}

export async function createDevelopmentSandbox(options: {
  readonly bundles: readonly Bundle[];
  readonly projectRoot: string;
  readonly now?: () => Date;
  readonly accessTokenSec?: number;
}): Promise<DevelopmentSandbox> {
  let fhir: FhirServer | undefined;
  const listPatients = async (): Promise<PatientChoice[]> => {
    const found = await fhir!.repository.searchResources({ resourceType: 'Patient', count: 1000 } as never);
    return (found as unknown as Patient[]).map((p) => ({ id: p.id!, label: `${patientName(p)} (${p.id})` }));
  };
  const smart = await createSmartAuthServer({
    listPatients,
    ...(options.now ? { now: options.now } : {}),
    ...(options.accessTokenSec ? { lifetimes: { accessTokenSec: options.accessTokenSec } } : {}),
  });
  fhir = await createFhirServer({ bundles: options.bundles, resources: conformanceResources(options.projectRoot), smart });
  const simulator = await createSimulatorIdentity();
  return {
    fhir,
    smart,
    simulator,
    simulatorIssuer: simulator.trustedIssuer,
    pages: createSimulatorRouter({ projectRoot: options.projectRoot, smart, simulator }),
  };
}

function patientName(p: Patient): string {
  const n = p.name?.[0];
  const text = n?.text ?? [...(n?.given ?? []), n?.family].filter(Boolean).join(' ');
  return text || 'Patient';
}
