import type { DemoPatient } from './patients.js';

/**
 * The CLI command that shows a demo patient's cards: encounter-start at its current Encounter, or patient-view for a
 * completed course (which has none). Used by the start-up banner and `npm run cli -- demo-patients`, so the two
 * always print the same command.
 */
export function demoHookCommand(patient: DemoPatient, extra = ''): string {
  const args = patient.currentEncounterId
    ? `--hook encounter-start --patient ${patient.patientId} --encounter ${patient.currentEncounterId}`
    : `--hook patient-view --patient ${patient.patientId}`;
  return `npm run cli -- hook ${args}${extra ? ` ${extra}` : ''}`;
}
