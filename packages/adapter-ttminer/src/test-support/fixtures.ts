import { readFileSync } from 'node:fs';

const DIR = new URL('../__fixtures__/ttminer/', import.meta.url);

/** The text of one TT-Miner fixture (a copy of `shared/fixtures/ttminer`). */
export function fixtureText(name: string): string {
  return readFileSync(new URL(name, DIR), 'utf8');
}

/** One JSON fixture, parsed. */
export function fixtureJson(name: string): unknown {
  return JSON.parse(fixtureText(name));
}
