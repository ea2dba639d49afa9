import { readFileSync } from 'node:fs';
import { defineProject } from 'vitest/config';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

export default defineProject({
  define: { __RIGKIT_TESTKIT_VERSION__: JSON.stringify(version) },
  test: {
    name: '@rigkit/testkit',
    include: ['src/**/*.test.ts'],
    // The start/stop leak test measures the heap after `globalThis.gc()` (vitest 4 has no
    // poolOptions; execArgv applies to the forks/threads workers of this project).
    execArgv: ['--expose-gc'],
    // These suites spawn real processes on a small shared machine.
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
