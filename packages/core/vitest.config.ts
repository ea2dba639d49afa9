import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@rigkit/core',
    include: ['src/**/*.test.ts'],
  },
});
