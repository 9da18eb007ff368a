import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

/** The non-blank lines of a file, streamed: never the whole file in memory. */
export async function* readLines(path: string): AsyncGenerator<string> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 }), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() !== '') yield line;
  }
}
