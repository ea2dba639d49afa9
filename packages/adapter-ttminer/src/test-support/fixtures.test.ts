import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const local = new URL('../__fixtures__/ttminer/', import.meta.url);
// The monorepo's shared fixtures, next to the repository in CI and development clones.
const shared = new URL('../../../../../shared/fixtures/ttminer/', import.meta.url);

describe('package fixtures', () => {
  it.runIf(existsSync(shared))('are verbatim copies of ../shared/fixtures/ttminer', () => {
    const names = readdirSync(shared).sort();
    expect(readdirSync(local).sort()).toEqual(names);
    for (const name of names) {
      expect(readFileSync(new URL(name, local), 'utf8'), name).toBe(
        readFileSync(new URL(name, shared), 'utf8'),
      );
    }
  });
});
