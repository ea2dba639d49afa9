import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'rigkit',
    include: ['src/**/*.test.ts'],
  },
});
