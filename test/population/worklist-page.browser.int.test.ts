import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoBundles } from '../../src/demo/patients.js';
import { createFhirServer } from '../../src/sandbox/index.js';
import { PROJECT_ROOT, startService, type RunningService } from '../support/start-service.js';

/**
 * The /worklist page in Debian's chromium (playwright-core, never a downloaded browser; `.ci/run` installs chromium
 * when missing, so a missing browser fails rather than skips): it loads the embedded server's population, filters
 * it, and draws one chart per indicator.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
let svc: RunningService;
let context: BrowserContext;
let profile: string;
const pageErrors: string[] = [];

beforeAll(async () => {
  const sandbox = await createFhirServer({ bundles: loadDemoBundles(PROJECT_ROOT) });
  svc = await startService({ fhirRouter: sandbox.router });
  profile = mkdtempSync(join(tmpdir(), 'lbp-chromium-worklist-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    timezoneId: 'Europe/Copenhagen',
  });
  context.on('page', (p) => p.on('pageerror', (e) => pageErrors.push(e.message)));
}, 60_000);
afterAll(async () => {
  await context?.close();
  rmSync(profile, { recursive: true, force: true });
  await svc?.close();
});

describe('the worklist page', () => {
  it('shows the worklist of a linked date and type, filters it by action, and draws a chart per indicator', async () => {
    const page = await context.newPage();
    await page.goto(`${svc.url}/worklist?date=2027-02-10&type=recurrent&lang=en`);
    await page.waitForFunction(() => document.querySelectorAll('#items tbody tr').length > 0);
    const rows = await page.locator('#items tbody tr').allTextContents();
    // Recurrent only: three missing-score items, seven finals due, one follow-up, one closing window (worked out in
    // demo-worklist.test.ts).
    expect(rows).toHaveLength(12);
    expect(rows.some((r) => r.includes('lbp-edge-final-consultation-patient') && r.includes('follow-up-due'))).toBe(true);
    expect(rows.every((r) => r.includes('recurrent'))).toBe(true);
    await page.selectOption('#action', 'final-due');
    await expect.poll(() => page.locator('#items tbody tr').count()).toBe(7);
    expect(await page.locator('#status').textContent()).toMatch(/^7 \/ 17 items; 17 courses of 17 patients on 2027-02-10/);
    const charts = await page.locator('.chart h3').allTextContents();
    expect(charts).toEqual(expect.arrayContaining(['Started courses', 'Complete baseline scores', 'ODI change at 0267 (mean)', '0268 on time at 3 months', 'Limit findings per 100 courses']));
    expect(charts).toHaveLength(13);
    // One bar per recurrent group: its quarters and the total.
    const bars = await page.locator('.chart').first().locator('.bar-row').allTextContents();
    expect(bars.at(-1)).toMatch(/^recurrent all.*12$/);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
