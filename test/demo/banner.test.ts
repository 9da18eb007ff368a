import { describe, expect, it } from 'vitest';
import { startBanner } from '../../src/demo/banner.js';
import { DEMO_PATIENTS, findDemoPatient } from '../../src/demo/patients.js';

describe('the npm start banner', () => {
  it('prints the simulator URL, two CLI commands and where the other demo patients are listed, not a curl per patient', () => {
    const banner = startBanner({ base: 'http://127.0.0.1:3000', version: '9.8.7' });
    const mid = findDemoPatient('course-2-mid-course')!;
    expect(banner).toContain('structured-course-cds 9.8.7, development mode');
    expect(banner).toContain('Simulator (an EHR in the browser):  http://127.0.0.1:3000/\n');
    const commands = banner.split('\n').filter((l) => l.trim().startsWith('npm run cli -- hook '));
    expect(commands).toHaveLength(2);
    expect(commands[0]!.trim()).toBe(`npm run cli -- hook --hook encounter-start --patient ${mid.patientId} --encounter ${mid.currentEncounterId!}`);
    expect(banner).toContain('npm run cli -- demo-patients');
    expect(banner).toContain(`${DEMO_PATIENTS.length} demo patients`);
    expect(banner).not.toContain('curl');
    expect(banner.trim().split('\n').length).toBeLessThanOrEqual(14);
  });

  it('adds --service to the commands when the service is not on the CLI default port', () => {
    const banner = startBanner({ base: 'http://127.0.0.1:3999', version: '1.0.0' });
    const commands = banner.split('\n').filter((l) => l.trim().startsWith('npm run cli -- hook '));
    for (const c of commands) expect(c).toContain('--service http://127.0.0.1:3999');
    expect(banner).toContain('Simulator (an EHR in the browser):  http://127.0.0.1:3999/\n');
  });
});
