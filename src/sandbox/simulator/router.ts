/**
 * The EHR simulator's server side: the page at `/`, the demo patients it offers, and the two things a browser page
 * cannot do itself because they need a key: signing its hook calls (the simulator's CDS-client JWT) and getting
 * the EHR's own FHIR token for accepting suggestions. Development only; the API answers same-origin audiences only.
 */
import express, { type Request, type Router } from 'express';
import { DEMO_PATIENTS } from '../../demo/patients.js';
import type { SmartAuthServer } from '../smart/auth-server.js';
import type { SimulatorIdentity } from './identity.js';
import { simulatorPage } from './page.js';

/** What the EHR itself may write when a clinician accepts a suggestion: the resources our cards create. */
export const EHR_SCOPES = ['user/Appointment.c', 'user/Task.c', 'user/*.rs'] as const;

export function createSimulatorRouter(deps: { projectRoot: string; smart: SmartAuthServer; simulator: SimulatorIdentity }): Router {
  const router = express.Router();
  const origin = (req: Request): string => `${req.protocol}://${req.get('host') ?? 'localhost'}`;

  router.get('/', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.type('html').send(simulatorPage());
  });

  router.get('/ehr/api/patients', (_req, res) => {
    res.json(DEMO_PATIENTS.map((p) => ({
      key: p.key,
      title: p.title,
      patientId: p.patientId,
      encounterIds: p.encounterIds,
      ...(p.currentEncounterId ? { currentEncounterId: p.currentEncounterId } : {}),
    })));
  });

  router.post('/ehr/api/hook-token', express.json({ limit: '4kb' }), async (req, res) => {
    const aud = (req.body as { aud?: unknown } | undefined)?.aud;
    // Only for this service's own CDS endpoints: the simulator signs nothing else.
    if (typeof aud !== 'string' || !aud.startsWith(`${origin(req)}/cds-services`)) {
      res.status(400).json({ error: 'aud must be one of this service\'s /cds-services URLs' });
      return;
    }
    res.setHeader('Cache-Control', 'no-store');
    res.json({ token: await deps.simulator.sign(aud) });
  });

  router.post('/ehr/api/fhir-token', async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ access_token: await deps.smart.issueEhrToken(`${origin(req)}/fhir`, EHR_SCOPES), scope: EHR_SCOPES.join(' ') });
  });

  return router;
}
