import { readFileSync } from 'node:fs';
import { rigkitTsup } from '../../tsup.config.base.js';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

export default rigkitTsup(['src/index.ts'], {
  define: { __RIGKIT_ADAPTER_STRATUM_PROXY_VERSION__: JSON.stringify(version) },
});
