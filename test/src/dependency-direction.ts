import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * DESIGN.md's dependency direction as layers: a package may depend (at run time) only on
 * packages in lower layers. `core ← storage/adapters/testkit ← client ← server ← cli`:
 * the CLI sits above the server because `rigkit serve` hosts it.
 */
export const LAYERS: Readonly<Record<string, number>> = {
  '@rigkit/core': 0,
  '@rigkit/storage': 1,
  '@rigkit/adapter-xmrig': 1,
  '@rigkit/adapter-ttminer': 1,
  '@rigkit/adapter-stratum-proxy': 1,
  '@rigkit/testkit': 1,
  '@rigkit/client': 2,
  '@rigkit/server': 3,
  rigkit: 4,
};

/** Packages any workspace may use in `devDependencies` to run its tests. */
const TEST_ONLY_ALLOWED = new Set(['@rigkit/testkit']);

export interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

export interface Violation {
  from: string;
  to: string;
  field: string;
  reason: string;
}

/** Every dependency edge between Rigkit packages that breaks the layering. */
export function findDependencyViolations(
  manifests: readonly Manifest[],
  layers: Readonly<Record<string, number>> = LAYERS,
): Violation[] {
  const violations: Violation[] = [];
  for (const manifest of manifests) {
    const fromLayer = layers[manifest.name];
    if (fromLayer === undefined) continue; // private workspaces (tests, bench) may use anything
    for (const field of [
      'dependencies',
      'peerDependencies',
      'optionalDependencies',
      'devDependencies',
    ] as const) {
      for (const to of Object.keys(manifest[field] ?? {})) {
        const toLayer = layers[to];
        if (toLayer === undefined) continue; // third-party package
        if (to === manifest.name) {
          violations.push({ from: manifest.name, to, field, reason: 'depends on itself' });
        } else if (toLayer >= fromLayer) {
          if (field === 'devDependencies' && TEST_ONLY_ALLOWED.has(to)) continue;
          violations.push({
            from: manifest.name,
            to,
            field,
            reason: `layer ${fromLayer} may not depend on layer ${toLayer}`,
          });
        }
      }
    }
  }
  return violations;
}

/** Reads the manifests of every workspace listed in the root package.json. */
export function readWorkspaceManifests(rootDir: string): Manifest[] {
  const root = JSON.parse(readFileSync(join(rootDir, 'package.json'), 'utf8')) as {
    workspaces: string[];
  };
  const manifests: Manifest[] = [];
  for (const pattern of root.workspaces) {
    const dirs = pattern.endsWith('/*')
      ? readdirSync(join(rootDir, pattern.slice(0, -2)), { withFileTypes: true })
          .filter((entry) => entry.isDirectory())
          .map((entry) => join(rootDir, pattern.slice(0, -2), entry.name))
      : [join(rootDir, pattern)];
    for (const dir of dirs) {
      const file = join(dir, 'package.json');
      if (existsSync(file)) manifests.push(JSON.parse(readFileSync(file, 'utf8')) as Manifest);
    }
  }
  return manifests;
}
