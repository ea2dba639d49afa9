import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = '@rigkit/testkit';

/**
 * The root of this package: the nearest directory above this module whose `package.json` is
 * `@rigkit/testkit`. Works both from `dist/index.js` (published) and from
 * `src/fake-process/*.ts` (vitest runs the sources), where a relative URL could not.
 */
function packageRoot(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if (
          (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME
        )
          return dir;
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
 * Absolute path of the built `rigkit-fake-process` program (`dist/fake-process.js`).
 * Run it with `process.execPath` (`node`) as the file and this path as the first argument.
 */
export const fakeProcessPath: string = (() => {
  const root = packageRoot();
  // Bundled somewhere without our package.json next to it: assume dist/ is beside this file.
  return root === undefined
    ? fileURLToPath(new URL('./fake-process.js', import.meta.url))
    : join(root, 'dist', 'fake-process.js');
})();
