import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../support/start-service.js';
import { startDevelopment, type RunningDevelopment } from '../support/start-development.js';
import { launchBrowser, type Browser } from './browser.js';

/**
 * The clinician's side in a real browser: the EHR simulator at /, its missing-ODI card, the SMART EHR launch of the
 * app, the ODI filled in and saved, the hook fired again. `UPDATE_SCREENSHOTS=1` rewrites docs/screenshots/.
 */
const PATIENT_KEY = 'edge-missing-baseline-scores';
// This patient's current course is new: its entry is its only consultation (the five before belong to the 2025 course).
const CURRENT_COURSE_CONSULTATIONS = 1;
// The demo's current consultation starts 2026-11-25 10:00 Copenhagen: the browser's clock is set to that morning,
// so the ODI is answered "today" (a baseline counts on or before the entry day).
const CONSULTATION_MORNING = new Date('2026-11-25T10:30:00+01:00');
const SCREENSHOTS = join(PROJECT_ROOT, 'docs', 'screenshots');
const shoot = async (page: Page, name: string): Promise<void> => {
  if (process.env.UPDATE_SCREENSHOTS !== '1') return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, name), fullPage: true });
};

let dev: RunningDevelopment;
let browser: Browser;
beforeAll(async () => {
  dev = await startDevelopment();
  browser = await launchBrowser();
  await browser.context.clock.setFixedTime(CONSULTATION_MORNING);
});
afterAll(async () => {
  await browser?.close();
  await dev?.close();
});

async function fireForPatient(page: Page): Promise<void> {
  await page.selectOption('#patient', PATIENT_KEY);
  await expect.poll(() => page.inputValue('#hook')).toBe('encounter-start');
  await page.click('[data-testid=fire]');
  await page.waitForSelector('[data-testid=json]');
}

async function answerOdiByMouse(app: Page): Promise<void> {
  for (let section = 1; section <= 10; section++) {
    await app.locator(`fieldset[data-link-id="odi-${section}"] input[type=radio]`).nth(2).check();
  }
}

describe('the EHR simulator and the SMART app', () => {
  it('goes from the missing-ODI card through an EHR launch to a saved ODI, and the card is gone', async () => {
    const page = await browser.newPage();
    await page.goto(`${dev.url}/`);
    await fireForPatient(page);
    const card = page.locator('[data-testid=card][data-topic=missing-baseline-scores]');
    await expect.poll(() => card.count()).toBe(1);
    expect(await card.innerText()).toContain('ODI');
    expect(await card.locator('[data-testid=override-reason] option').count()).toBe(3);
    await page.locator('[data-testid=json] summary').click();
    expect(await page.locator('[data-testid=json]').innerText()).toContain('urn:structured-course-cds:ehr-simulator');
    await shoot(page, 'simulator.png');

    const [app] = await Promise.all([browser.context.waitForEvent('page'), card.locator('[data-testid=link]').first().click()]);
    await app.waitForSelector('fieldset[data-link-id="odi-1"]', { timeout: 20_000 });
    expect(app.url()).toMatch(/\/app\//);
    expect(await app.locator('[data-testid=submit]').isDisabled()).toBe(true);
    await answerOdiByMouse(app);
    await expect.poll(() => app.locator('[data-testid=live-score]').innerText()).toContain('40 %');
    await shoot(app, 'app-odi-form.png');
    await app.click('[data-testid=submit]');
    await app.waitForSelector('[data-testid=flash]');
    expect(await app.locator('[data-testid=flash]').innerText()).toContain('40 %');

    // The scores view shows the new point on the consultation's day; the timeline lists the consultations.
    await expect.poll(() => app.locator('figure[data-instrument=odi] circle[data-date="2026-11-25"]').count()).toBe(1);
    await shoot(app, 'app-scores.png');
    await app.click('[data-tab=timeline]');
    expect(await app.locator('[data-testid=consultations] li').count()).toBe(CURRENT_COURSE_CONSULTATIONS);
    expect(await app.locator('[data-testid=recommendation]').innerText()).toContain('0263');
    await shoot(app, 'app-timeline.png');

    await page.bringToFront();
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/cds-services/lbp-encounter-start')), page.click('[data-testid=fire]')]);
    await expect.poll(() => page.locator('[data-testid=json] summary').innerText()).toContain('HTTP 200');
    await expect.poll(() => page.locator('[data-testid=card][data-topic=next-consultation]').count()).toBe(1);
    await expect.poll(() => page.locator('[data-testid=card][data-topic=missing-baseline-scores]').count()).toBe(0);
    // What was written: a QuestionnaireResponse and an Observation derived from it.
    const obs = await (await fetch(`${dev.url}/fhir/Observation?patient=lbp-edge-missing-baseline-scores-patient&code=http://loinc.org|97909-6`)).json();
    const derived = obs.entry.map((e: { resource: { derivedFrom?: { reference: string }[] } }) => e.resource.derivedFrom?.[0]?.reference).filter(Boolean);
    expect(derived.some((r: string) => r.startsWith('QuestionnaireResponse/'))).toBe(true);
    expect(browser.pageErrors).toEqual([]);
  });

  it('accepts a suggestion into the FHIR server and dismisses a card with a reason, both as feedback', async () => {
    const page = await browser.newPage();
    await page.goto(`${dev.url}/`);
    await page.selectOption('#patient', 'course-2-mid-course');
    await page.click('[data-testid=fire]');
    const next = page.locator('[data-testid=card][data-topic=next-consultation]');
    await next.locator('[data-testid=suggestion]').first().click();
    await expect.poll(() => page.locator('[data-testid=feedback-log]').innerText()).toMatch(/Appointment\/[^ ]+ · feedback 200/);
    await page.selectOption('#patient', 'edge-missing-final-scores');
    await page.click('[data-testid=fire]');
    const score = page.locator('[data-testid=card][data-topic=missing-final-scores]');
    await score.locator('[data-testid=override-reason]').selectOption({ index: 1 });
    await score.locator('[data-testid=dismiss]').click();
    await expect.poll(() => page.locator('[data-testid=feedback-log]').innerText()).toContain('Registreret et andet sted');
    expect(await page.locator('[data-testid=feedback-log]').innerText()).toMatch(/Afvist: .* feedback 200/);
  });

  it('launches standalone with the patient picker, and switches to English', async () => {
    const page = await browser.newPage({ width: 360, height: 780 });
    await page.goto(`${dev.url}/app/`);
    await page.click('[data-state=not-launched] a');
    await page.waitForSelector('select#patient');
    await page.selectOption('select#patient', 'lbp-c2mid-patient');
    await page.click('button[value=approve]');
    await page.waitForSelector('[data-testid=consultations]');
    expect(await page.locator('[data-testid=consultations] li').count()).toBe(6);
    await page.click('[data-testid=lang]');
    expect(await page.locator('[data-tab=timeline]').innerText()).toBe('Course');
    expect(await page.locator('#timeline-title').innerText()).toContain('Course type');
    await page.click('[data-tab=scores]');
    // Readable at 360 px: the chart fits the width.
    const width = await page.locator('figure[data-instrument=odi] svg').evaluate((el) => el.getBoundingClientRect().width);
    expect(width).toBeLessThanOrEqual(360);
    expect(width).toBeGreaterThan(250);
    await shoot(page, 'app-scores-360px-en.png');
  });

  it('completes the ODI with the keyboard alone', async () => {
    const page = await browser.newPage();
    await page.goto(`${dev.url}/app/?standalone=1`);
    await page.waitForSelector('select#patient');
    await page.selectOption('select#patient', 'lbp-edge-missing-final-scores-patient');
    await page.click('button[value=approve]');
    await page.waitForSelector('[data-tab=questionnaire]');
    await page.click('[data-tab=questionnaire]');
    await page.waitForSelector('fieldset[data-link-id="odi-1"]');
    // From the instrument picker, Tab reaches the first section; in each section ArrowDown picks a statement and
    // Tab moves on to the next section; after the tenth, Tab reaches Save.
    await page.locator('.instrument-picker button').last().focus();
    await page.keyboard.press('Tab');
    for (let section = 1; section <= 10; section++) {
      expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).name)).toBe(`odi-${section}`);
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Tab');
    }
    expect(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.testid)).toBe('submit');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=flash]');
    expect(await page.locator('[data-testid=flash]').innerText()).toContain('20 %');
  });
});
