import { readFileSync } from 'node:fs';
import { rigkitTsup } from '../../tsup.config.base.js';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

// `fake-process` is a bin: it must land at dist/fake-process.js, next to index.js.
export default rigkitTsup(
  { index: 'src/index.ts', 'fake-process': 'src/fake-process/fake-process.ts' },
  { define: { __RIGKIT_TESTKIT_VERSION__: JSON.stringify(version) } },
);
