import { readFileSync } from 'node:fs';
import { rigkitTsup } from '../../tsup.config.base.js';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

// `fake-process`, `sim-xmrig`, `sim-ttminer` and `sim-pool` are bins: they must land at dist/<name>.js,
// next to index.js.
// `simulators` is the vitest-free entry (`@rigkit/testkit/simulators`).
export default rigkitTsup(
  {
    index: 'src/index.ts',
    simulators: 'src/simulators.ts',
    'fake-process': 'src/fake-process/fake-process.ts',
    'sim-xmrig': 'src/sim/xmrig/bin.ts',
    'sim-ttminer': 'src/sim/ttminer/bin.ts',
    'sim-pool': 'src/sim/pool/bin-pool.ts',
  },
  { define: { __RIGKIT_TESTKIT_VERSION__: JSON.stringify(version) } },
);
