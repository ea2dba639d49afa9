import { readFileSync } from 'node:fs';
import { defineProject } from 'vitest/config';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

export default defineProject({
  define: { __RIGKIT_ADAPTER_TTMINER_VERSION__: JSON.stringify(version) },
  test: {
    name: '@rigkit/adapter-ttminer',
    include: ['src/**/*.test.ts'],
  },
});
