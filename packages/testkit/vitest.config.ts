import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@rigkit/testkit',
    include: ['src/**/*.test.ts'],
  },
});
