import { defineConfig } from 'vitest/config';

// One vitest run covers every workspace; each project keeps its own vitest.config.ts
// so `npm test --workspace <pkg>` (or `turbo run test`) works on its own too.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'test'],
    reporters: ['default', './test/summary-reporter.ts'],
    // Several suites spawn real processes and sockets on a shared 2-core machine.
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
