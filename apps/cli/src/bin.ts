#!/usr/bin/env node
// Kept tiny: `rigkit --version` answers without loading commander or anything else.
import { readFileSync } from 'node:fs';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${manifest.version}\n`);
} else {
  // `rigkit logs -f | head` closes the pipe early: that is the end, not a crash.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  const [{ runCli }, { processIO }] = await Promise.all([import('./run.js'), import('./io.js')]);
  process.exitCode = await runCli(argv, processIO());
}
