import { join } from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REALWORLD_DIR } from '../support/shared-dir.js';
import { startDevelopment, type RunningDevelopment } from '../support/start-development.js';
import { launchBrowser, type Browser } from './browser.js';

/**
 * The public CDS Hooks sandbox (built, unmodified, served from ../shared) against our service as `npm start` runs
 * it: it signs with its own published key (trusted in development), fires patient-view, renders our cards, posts
 * feedback. Offline its internet default service fails; that is its console's business, not ours.
 */
const SANDBOX_DIR = join(REALWORLD_DIR, 'clients', 'cds-hooks-sandbox');
const PATIENT = 'lbp-edge-missing-baseline-scores-patient';

let dev: RunningDevelopment;
let browser: Browser;
let sandbox: Server;
let sandboxUrl: string;
beforeAll(async () => {
  dev = await startDevelopment();
  const app = express();
  app.use(express.static(SANDBOX_DIR));
  sandbox = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  sandboxUrl = `http://127.0.0.1:${(sandbox.address() as AddressInfo).port}`;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => (sandbox ? sandbox.close(() => r()) : r()));
  await dev?.close();
});

describe('the public CDS Hooks sandbox with the default development service', () => {
  it('shows our patient-view cards, and accepting and dismissing with a reason both reach our feedback endpoint', async () => {
    const page = await browser.newPage();
    const ours = (path: string) => (r: { url(): string; request(): { method(): string } }) => r.url().startsWith(dev.url) && r.url().includes(path);
    const discovery = page.waitForResponse(ours('/cds-services'));
    const hook = page.waitForResponse(ours('/cds-services/lbp-patient-view'));
    const params = new URLSearchParams({ fhirServiceUrl: `${dev.url}/fhir`, patientId: PATIENT, serviceDiscoveryURL: `${dev.url}/cds-services` });
    await page.goto(`${sandboxUrl}/?${params}`);
    expect((await discovery).status()).toBe(200);
    expect((await hook).status()).toBe(200);

    const missing = page.locator('.MuiCard-root', { hasText: 'Mangler ODI ved forløbets start' });
    await missing.waitFor({ timeout: 20_000 });
    // Our SMART link is launchable: the sandbox got a launch from the embedded FHIR server's _services/smart/Launch.
    const link = missing.getByRole('button', { name: /spørgeskema-app/ });
    await expect.poll(() => link.isEnabled()).toBe(true);
    if (process.env.UPDATE_SCREENSHOTS === '1') await page.screenshot({ path: join(import.meta.dirname, '..', '..', 'docs', 'screenshots', 'public-sandbox.png'), fullPage: true });

    const accepted = page.waitForResponse(ours('/cds-services/lbp-patient-view/feedback'));
    await page.locator('.MuiCard-root', { hasText: 'Anbefalet næste konsultation' }).getByRole('button', { name: /^Planlæg/ }).first().click();
    const acceptedResponse = await accepted;
    expect(acceptedResponse.status()).toBe(200);
    expect(JSON.parse(acceptedResponse.request().postData() ?? '{}').feedback[0].outcome).toBe('accepted');

    const dismissed = page.waitForResponse(ours('/cds-services/lbp-patient-view/feedback'));
    await missing.locator('[role=group] button').nth(1).click();
    await page.getByRole('menuitem', { name: /Registreret et andet sted/ }).click();
    const dismissedResponse = await dismissed;
    expect(dismissedResponse.status()).toBe(200);
    const item = JSON.parse(dismissedResponse.request().postData() ?? '{}').feedback[0];
    expect(item).toMatchObject({ outcome: 'overridden', overrideReason: { reason: { code: 'recorded-elsewhere' } } });
    // Both signed calls were verified with the sandbox's shipped key, no internet needed.
    const lines = dev.logs.map((l) => JSON.parse(l)).filter((l) => l.path?.endsWith('/feedback'));
    expect(lines.map((l) => [l.status, l.iss])).toEqual([[200, 'https://sandbox.cds-hooks.org'], [200, 'https://sandbox.cds-hooks.org']]);
  });
});
