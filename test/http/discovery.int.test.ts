import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateDiscovery } from '../../src/cds/schemas.js';
import { VERSION_EXTENSION } from '../../src/cds/services.js';
import { PROJECT_ROOT, startService, type RunningService } from '../support/start-service.js';

let svc: RunningService;
beforeAll(async () => {
  svc = await startService();
});
afterAll(() => svc.close());

async function discovery(headers: Record<string, string> = {}): Promise<{ language: string | null; services: any[] }> {
  const response = await fetch(`${svc.url}/cds-services`, { headers });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { services: any[] };
  expect(validateDiscovery(body)).toEqual([]);
  return { language: response.headers.get('content-language'), services: body.services };
}

describe('the discovery document', () => {
  it('is in Danish by default and in English on Accept-Language: en, titles and descriptions alike', async () => {
    const da = await discovery();
    expect(da.language).toBe('da');
    expect(da.services.find((s) => s.id === 'lbp-encounter-start')).toMatchObject({
      title: 'Struktureret forløb for lænderygsmerter: konsultation starter',
      description: expect.stringMatching(/^Når en fysioterapeutisk konsultation starter: anbefaler næste ydelse/),
      usageRequirements: expect.stringMatching(/^Kræver læseadgang/),
    });
    const en = await discovery({ 'Accept-Language': 'en-GB,en;q=0.9,da;q=0.5' });
    expect(en.language).toBe('en');
    expect(en.services.find((s) => s.id === 'lbp-encounter-start')).toMatchObject({
      title: 'Structured course for low back pain: consultation starts',
      description: expect.stringMatching(/^When a physiotherapy consultation starts: recommends the next consultation code/),
      usageRequirements: expect.stringMatching(/^Needs read access/),
    });
    // Only the texts differ: hooks, ids and prefetch templates are the same in both.
    const shape = (services: any[]) => services.map(({ hook, id, prefetch }) => ({ hook, id, prefetch }));
    expect(shape(en.services)).toEqual(shape(da.services));
    for (const s of en.services) expect(s.title).not.toMatch(/forløb|lænderyg/);
  });

  it("states package.json's version in every service", async () => {
    const { version } = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
    const { services } = await discovery();
    expect(services).toHaveLength(3);
    for (const s of services) expect(s.extension).toEqual({ [VERSION_EXTENSION]: version });
  });
});
