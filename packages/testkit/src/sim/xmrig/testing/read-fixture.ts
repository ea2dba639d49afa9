import { readFileSync } from 'node:fs';

/** The text of a fixture under `src/sim/xmrig/__fixtures__` (copied from `shared/fixtures`). */
export function readFixture(path: string): string {
  return readFileSync(new URL(`../__fixtures__/${path}`, import.meta.url), 'utf8');
}

/** The ordered keys of every object in `value`, by JSON path: for comparing JSON shapes. */
export function keyShape(value: unknown, path = '$'): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (Array.isArray(value)) {
    // Arrays: the shape of their first element stands for all (xmrig's arrays are uniform).
    if (value.length > 0) Object.assign(out, keyShape(value[0], `${path}[]`));
  } else if (typeof value === 'object' && value !== null) {
    out[path] = Object.keys(value);
    for (const [key, item] of Object.entries(value))
      Object.assign(out, keyShape(item, `${path}.${key}`));
  }
  return out;
}
