import { readFileSync } from 'node:fs';

/**
 * The Dockerfile as data: its stages and their steps, so a test can run them in clean folders where no container
 * runtime can run. Only the instructions our Dockerfile uses are understood; any other is an error, so the file
 * cannot grow a step the test silently skips.
 */
export type Step =
  | { readonly kind: 'WORKDIR'; readonly path: string }
  | { readonly kind: 'COPY'; readonly from?: string; readonly sources: readonly string[]; readonly dest: string }
  | { readonly kind: 'RUN'; readonly command: string }
  | { readonly kind: 'ENV'; readonly vars: Readonly<Record<string, string>> }
  | { readonly kind: 'USER'; readonly user: string }
  | { readonly kind: 'EXPOSE'; readonly port: number }
  | { readonly kind: 'HEALTHCHECK'; readonly options: string; readonly command: readonly string[] }
  | { readonly kind: 'CMD'; readonly command: readonly string[] };

export interface Stage {
  readonly name: string;
  readonly image: string;
  readonly steps: Step[];
}

export function parseDockerfile(path: string): Stage[] {
  const lines = readFileSync(path, 'utf8').replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, keyword, rest = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const stage = stages[stages.length - 1];
    if (keyword === 'FROM') {
      const [, image, name] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest) ?? [];
      stages.push({ name: name ?? String(stages.length), image: image!, steps: [] });
      continue;
    }
    if (!stage) throw new Error(`Dockerfile: ${keyword} before FROM`);
    switch (keyword) {
      case 'WORKDIR':
        stage.steps.push({ kind: 'WORKDIR', path: rest });
        break;
      case 'COPY': {
        const words = rest.split(/\s+/);
        const from = words[0]?.startsWith('--from=') ? words.shift()!.slice('--from='.length) : undefined;
        const dest = words.pop()!;
        stage.steps.push({ kind: 'COPY', ...(from ? { from } : {}), sources: words, dest });
        break;
      }
      case 'RUN':
        stage.steps.push({ kind: 'RUN', command: rest });
        break;
      case 'ENV':
        stage.steps.push({ kind: 'ENV', vars: Object.fromEntries(rest.split(/\s+/).map((kv) => kv.split('=') as [string, string])) });
        break;
      case 'USER':
        stage.steps.push({ kind: 'USER', user: rest });
        break;
      case 'EXPOSE':
        stage.steps.push({ kind: 'EXPOSE', port: Number(rest) });
        break;
      case 'HEALTHCHECK': {
        const [, options = '', json = ''] = /^(.*?)\s*CMD\s+(\[.*\])$/.exec(rest) ?? [];
        stage.steps.push({ kind: 'HEALTHCHECK', options, command: JSON.parse(json) as string[] });
        break;
      }
      case 'CMD':
        stage.steps.push({ kind: 'CMD', command: JSON.parse(rest) as string[] });
        break;
      default:
        throw new Error(`Dockerfile: ${String(keyword)} is not understood by the test that runs the image's steps`);
    }
  }
  return stages;
}
