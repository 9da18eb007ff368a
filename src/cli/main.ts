import { Command } from 'commander';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VERSION } from '../version.js';
import { demoPatientsCommand } from './demo-patients-command.js';
import { feedbackReportCommand } from './feedback-report-command.js';
import { hookCommand } from './hook-command.js';
import { loadCommand } from './load-command.js';
import { registerPopulationCommands } from './population-commands.js';
import { registerDefinitionsCommand } from './definitions-command.js';

/**
 * The integrators' command line: call a hook on a running service for a patient on any FHIR server and print the
 * cards readably; load our example Bundles into any FHIR server; list the demo patients; print the feedback
 * report. One file per command; each is registered here with one line.
 */
const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const program = new Command('structured-course-cds')
  .description('Integrator tools for the structured-course CDS service')
  .version(VERSION, '-V, --version', 'print the version')
  .showHelpAfterError('(add --help for the options)')
  .showSuggestionAfterError(true);

program.addCommand(hookCommand(process.env, projectRoot));
program.addCommand(loadCommand(projectRoot));
program.addCommand(demoPatientsCommand());
program.addCommand(feedbackReportCommand(projectRoot, process.env));

registerPopulationCommands(program, projectRoot);
registerDefinitionsCommand(program, projectRoot);

await program.parseAsync(process.argv);
