import { Command, Option } from 'commander';
import { DEMO_PATIENTS } from '../demo/patients.js';
import { demoHookCommand } from '../demo/demo-commands.js';

/** `demo-patients`: every demo patient of the embedded FHIR server, what it shows, and the command that shows it. */
export function demoPatientsCommand(): Command {
  return new Command('demo-patients')
    .description('list the demo patients of the embedded FHIR server (npm start) and the command that shows each one')
    .addOption(new Option('--lang <lang>', 'language of the titles').choices(['da', 'en']).default('en'))
    .action((opts: { lang: 'da' | 'en' }) => {
      const blocks = DEMO_PATIENTS.map((p) => [
        `${p.title[opts.lang]}   (${p.key})`,
        ...wrap(p.description, 100).map((line) => `  ${line}`),
        `  ${demoHookCommand(p)}`,
      ].join('\n'));
      process.stdout.write(`${blocks.join('\n\n')}\n`);
    });
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}
