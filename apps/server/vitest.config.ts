import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@rigkit/server',
    include: ['src/**/*.test.ts'],
  },
});
