import { defineConfig, type Options } from 'tsup';

/**
 * The one tsup profile every package builds with: ESM only, `.d.ts` next to the JS,
 * Node 20 syntax, no bundling of dependencies (tsup externalises them by default).
 *
 * A package passes its entry points (and, for apps, its bins) and nothing else.
 */
export function rigkitTsup(entry: Options['entry'], overrides: Options = {}) {
  return defineConfig({
    entry,
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    dts: true,
    sourcemap: true,
    clean: true,
    splitting: false,
    treeshake: true,
    outDir: 'dist',
    // Keep `node:` prefixes: a bare `string_decoder` would resolve to the npm package of that name.
    removeNodeProtocol: false,
    ...overrides,
  });
}
