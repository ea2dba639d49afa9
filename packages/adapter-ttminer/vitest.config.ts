import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@rigkit/adapter-ttminer',
    include: ['src/**/*.test.ts'],
  },
});
