import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@rigkit/adapter-stratum-proxy',
    include: ['src/**/*.test.ts'],
  },
});
