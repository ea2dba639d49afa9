import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@rigkit/client',
    include: ['src/**/*.test.ts'],
  },
});
