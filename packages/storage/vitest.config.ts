import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@rigkit/storage',
    include: ['src/**/*.test.ts'],
  },
});
