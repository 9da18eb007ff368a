import { Command } from 'commander';
import { resolve } from 'node:path';
import { loadBundles } from './load-bundles.js';
import { parseHttpUrl, parseNonEmpty } from './option-parsers.js';

/** `load`: our example Bundles (or the files named) into any FHIR server, as transactions. */
export function loadCommand(projectRoot: string): Command {
  return new Command('load')
    .description('load Bundles (default: our example Bundles) into a FHIR server as transactions')
    .option('--fhir-server <url>', 'FHIR base URL (required)', parseHttpUrl)
    .option('--token <token>', 'bearer token', parseNonEmpty)
    .argument('[files...]', 'Bundle files', [])
    .action(async (files: string[], opts: { fhirServer?: string; token?: string }, command: Command) => {
      // Checked here, not by requiredOption: commander reports a missing required option before an unknown one, so
      // `load --fhir-sever x` would say "--fhir-server not specified" instead of naming the typo.
      if (!opts.fhirServer) command.error("error: required option '--fhir-server <url>' not specified");
      const ok = await loadBundles({
        fhirServer: opts.fhirServer,
        ...(opts.token ? { token: opts.token } : {}),
        files: files.length > 0 ? files.map((f) => resolve(f)) : undefined,
        projectRoot,
        progress: (line) => process.stdout.write(`${line}\n`),
        fail: (message) => command.error(`error: ${message}`),
      });
      if (!ok) process.exitCode = 1;
    });
}
