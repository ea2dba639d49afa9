import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@rigkit/adapter-xmrig',
    include: ['src/**/*.test.ts'],
  },
});
