/**
 * `npm run fuzz [-- --runs N] [-- --seed S]`: the fuzz cases of test/http/fuzz.int.test.ts, run longer against the
 * real service over HTTP. Prints the number of cases and their outcomes per family; exits 1 on any 5xx, invalid
 * response, logged error or unhandled rejection (printing the shrunk counterexample and the seed to replay it).
 */
import fc from 'fast-check';
import { anyFuzzCase, runFuzzCase, type FuzzCase } from '../test/support/fuzz-arbitraries.js';
import { startMisbehavingFhirServer } from '../test/support/misbehaving-fhir-server.js';
import { startService } from '../test/support/start-service.js';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a non-negative integer`);
  return value;
}

async function main(): Promise<void> {
  const runs = option('runs', 5000);
  const seed = option('seed', Date.now() % 2 ** 31);
  const unhandled: unknown[] = [];
  process.on('unhandledRejection', (reason) => void unhandled.push(reason));
  process.on('uncaughtException', (error) => void unhandled.push(error));

  const svc = await startService({ env: { CDS_DEADLINE_MS: '1000' } });
  const fhir = await startMisbehavingFhirServer();
  const outcomes = new Map<string, Map<number, number>>();
  const started = performance.now();
  let slowest = 0;
  let failure: string | undefined;
  try {
    await fc.assert(
      fc.asyncProperty(anyFuzzCase, async (c: FuzzCase) => {
        const { status, ms } = await runFuzzCase(svc, fhir, c);
        const byStatus = outcomes.get(c.family) ?? new Map<number, number>();
        byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
        outcomes.set(c.family, byStatus);
        slowest = Math.max(slowest, ms);
      }),
      { numRuns: runs, seed },
    );
  } catch (error) {
    failure = (error as Error).message;
  }
  const seconds = (performance.now() - started) / 1000;
  const errorLines = svc.logs.filter((line) => (JSON.parse(line) as { level: number }).level >= 50);
  await fhir.close();
  await svc.close();

  let total = 0;
  const rows: string[] = [];
  for (const [family, byStatus] of [...outcomes].sort()) {
    const n = [...byStatus.values()].reduce((a, b) => a + b, 0);
    total += n;
    rows.push(`${family.padEnd(14)} ${String(n).padStart(6)}   ${[...byStatus].sort((a, b) => a[0] - b[0]).map(([s, k]) => `${s}: ${k}`).join('  ')}`);
  }
  process.stdout.write(`fuzz: ${total} cases in ${seconds.toFixed(1)} s (seed ${seed}), slowest answer ${Math.round(slowest)} ms\n${rows.join('\n')}\n`);
  process.stdout.write(`5xx or invalid responses: ${failure ? 'yes (see below)' : 0}\nerrors logged: ${errorLines.length}\nunhandled rejections: ${unhandled.length}\n`);
  if (failure) process.stdout.write(`\n${failure.length > 4000 ? `${failure.slice(0, 4000)} ...` : failure}\n`);
  for (const line of errorLines.slice(0, 5)) process.stdout.write(`${line}`);
  for (const reason of unhandled.slice(0, 5)) process.stdout.write(`${String((reason as Error)?.stack ?? reason)}\n`);
  process.exit(failure || errorLines.length > 0 || unhandled.length > 0 ? 1 : 0);
}

main().catch((error: unknown) => {
  process.stderr.write(`fuzz failed to run: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(2);
});
