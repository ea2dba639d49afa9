#!/usr/bin/env node
// Runs every `*.bench.mjs` file in this folder (or the ones named on the command line), each in
// its own Node process with --expose-gc so heap numbers are not polluted by other benchmarks.
// Each benchmark prints JSON lines on stdout; this runner passes them through unchanged and
// reports a failed benchmark as a JSON line with "error" and a non-zero exit code.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(here)
  .filter((name) => name.endsWith('.bench.mjs'))
  .filter((name) => wanted.length === 0 || wanted.some((w) => name.includes(w)))
  .sort();

let failed = 0;
for (const file of files) {
  const result = spawnSync(process.execPath, ['--expose-gc', join(here, file)], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) {
    failed += 1;
    process.stdout.write(
      `${JSON.stringify({ bench: file, error: `exit ${result.status ?? result.signal}` })}\n`,
    );
  }
}
if (files.length === 0) process.stderr.write('no benchmark matched\n');
process.exitCode = failed > 0 ? 1 : 0;
