import { readFileSync } from 'node:fs';
import { defineProject } from 'vitest/config';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

export default defineProject({
  define: { __RIGKIT_ADAPTER_STRATUM_PROXY_VERSION__: JSON.stringify(version) },
  test: {
    name: '@rigkit/adapter-stratum-proxy',
    include: ['src/**/*.test.ts'],
  },
});
