import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@rigkit/tests',
    include: ['src/**/*.test.ts'],
  },
});
