import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = '@rigkit/testkit';

/**
 * The root of this package: the nearest directory above this module whose `package.json` is
 * `@rigkit/testkit`. Works from `dist/*.js` (published) and from `src/sim/*.ts` (vitest runs
 * the sources), where a URL relative to the module could not.
 */
function packageRoot(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown };
        if (name === PACKAGE_NAME) return dir;
      } catch {
        // Unreadable or not JSON: not ours, keep looking.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Absolute path of the built simulator program `file` (e.g. `sim-xmrig.js`) in this package's
 * `dist/`. Bundled somewhere without our package.json above it, `dist/` is assumed to be the
 * directory of the calling module.
 */
export function simPath(file: string): string {
  const root = packageRoot();
  return root === undefined
    ? fileURLToPath(new URL(`./${file}`, import.meta.url))
    : join(root, 'dist', file);
}
