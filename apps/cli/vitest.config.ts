import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'rigkit',
    include: ['src/**/*.test.ts'],
    // The e2e suite spawns the built CLI and a real server with simulated miners.
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
