import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  findDependencyViolations,
  LAYERS,
  readWorkspaceManifests,
} from './dependency-direction.js';

const rootDir = fileURLToPath(new URL('../..', import.meta.url));

describe('dependency direction (DESIGN.md §1)', () => {
  const manifests = readWorkspaceManifests(rootDir);

  it('finds every Rigkit package and gives each a layer', () => {
    const names = manifests
      .map((m) => m.name)
      .filter((name) => name !== '@rigkit/tests' && name !== '@rigkit/bench');
    expect(names.sort()).toEqual(Object.keys(LAYERS).sort());
  });

  it('has no upward or sideways dependency in the repository', () => {
    expect(findDependencyViolations(manifests)).toEqual([]);
  });

  it('would fail if core depended on storage (an upward edge)', () => {
    const withUpward = manifests.map((m) =>
      m.name === '@rigkit/core'
        ? { ...m, dependencies: { ...m.dependencies, '@rigkit/storage': '^0.1.0' } }
        : m,
    );
    expect(findDependencyViolations(withUpward)).toEqual([
      {
        from: '@rigkit/core',
        to: '@rigkit/storage',
        field: 'dependencies',
        reason: 'layer 0 may not depend on layer 1',
      },
    ]);
  });

  it('would fail if an adapter depended on another adapter or on storage', () => {
    const violations = findDependencyViolations([
      { name: '@rigkit/adapter-xmrig', dependencies: { '@rigkit/adapter-ttminer': '^0.1.0' } },
      { name: '@rigkit/adapter-ttminer', peerDependencies: { '@rigkit/storage': '^0.1.0' } },
    ]);
    expect(violations.map((v) => `${v.from}->${v.to}`)).toEqual([
      '@rigkit/adapter-xmrig->@rigkit/adapter-ttminer',
      '@rigkit/adapter-ttminer->@rigkit/storage',
    ]);
  });

  it('allows testkit as a dev dependency of its own layer, but not at run time', () => {
    expect(
      findDependencyViolations([
        { name: '@rigkit/adapter-xmrig', devDependencies: { '@rigkit/testkit': '^0.1.0' } },
      ]),
    ).toEqual([]);
    expect(
      findDependencyViolations([
        { name: '@rigkit/adapter-xmrig', dependencies: { '@rigkit/testkit': '^0.1.0' } },
      ]),
    ).toHaveLength(1);
  });
});
