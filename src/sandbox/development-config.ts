import type { AppConfig, TrustedIssuer } from '../config.js';

/** The embedded SMART app, relative to the service's own base URL (resolved per request). */
export const EMBEDDED_APP_PATH = '/app/';

/**
 * The configuration as development runs it with the embedded servers: the EHR simulator trusted as a CDS client,
 * and the cards' app links pointing at the embedded app unless the configuration names another.
 */
export function withDevelopmentSandbox(config: AppConfig, simulatorIssuer: TrustedIssuer): AppConfig {
  return {
    ...config,
    trustedIssuers: [...config.trustedIssuers, simulatorIssuer],
    questionnaireAppUrl: config.questionnaireAppUrl ?? EMBEDDED_APP_PATH,
  };
}
